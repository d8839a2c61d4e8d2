using System.ComponentModel;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Definitions;
using DigitMl.Experiments.Sweeps;
using DigitMl.Training.Threading;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`sweep`: the main job. Runs an experiment (default: the embedded digits experiment) end to end.</summary>
public sealed class SweepCommand(IAnsiConsole console) : Command<SweepCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--config <FILE>")]
        [Description("Experiment definition (YAML). Default: the embedded 'digits' experiment.")]
        public string? Config { get; init; }

        [CommandOption("--data <YAML>")]
        [Description("data.yaml to use instead of the experiment's (default: the generated digit scenes, created on first use).")]
        public string? Data { get; init; }

        [CommandOption("--resume")]
        [Description("Continue the newest interrupted sweep of the experiment: finished trials are kept, the interrupted one continues from its last.ckpt.")]
        public bool Resume { get; init; }

        [CommandOption("--experiment <NAME>")]
        [Description("Store versions under this experiment name instead of the definition's.")]
        public string? Experiment { get; init; }

        [CommandOption("--max-trials <N>")]
        [Description("Run at most N trials (tightens the experiment's budget).")]
        public int? MaxTrials { get; init; }

        [CommandOption("--artifacts <DIR>")]
        [Description("Artifacts folder (default: artifacts/ of the repository).")]
        public string? Artifacts { get; init; }

        [CommandOption("--skip-invalid")]
        [Description(SkipInvalidHint.Description + " With --resume the sweep keeps the setting it started with.")]
        public bool SkipInvalid { get; init; }

        [CommandOption("--no-test")]
        [Description("Do not score the winner on the test split at the end.")]
        public bool NoTest { get; init; }

        [CommandOption("--precision <PRECISION>")]
        [Description("Fixes the precision of every trial: auto (bf16 mixed precision where the CPU has bf16 instructions, else fp32), fp32 or bf16. Default: the experiment's (auto).")]
        public string? Precision { get; init; }

        [CommandOption("--threads <N>")]
        [Description("Fixes libtorch's threads of every trial (0: the cores this process may use, shared with other training jobs). Default: the experiment's (0).")]
        public int? Threads { get; init; }

        public override ValidationResult Validate()
        {
            if (MaxTrials is <= 0) return ValidationResult.Error("--max-trials must be at least 1");
            if (Resume && (Precision is not null || Threads is not null))
                return ValidationResult.Error("--precision and --threads set up a new sweep; a resumed sweep keeps the settings it started with");
            try
            {
                ApplyOverrides(ExperimentDefinition.Create("check"));
                return ValidationResult.Success();
            }
            catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
            {
                return ValidationResult.Error(e.Message);
            }
        }

        /// <summary>The definition with --precision / --threads fixed (config.json records them through the settings table).</summary>
        public ExperimentDefinition ApplyOverrides(ExperimentDefinition definition)
        {
            ArgumentNullException.ThrowIfNull(definition);
            if (Precision is not null) definition = definition.Fix("precision", Precision);
            if (Threads is not null) definition = definition.Fix("threads", Threads);
            return definition;
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var definition = settings.ApplyOverrides(settings.Config is null ? ExperimentYaml.LoadEmbedded() : ExperimentYaml.LoadFile(settings.Config));
        var store = new ArtifactStore(settings.Artifacts is null ? RepositoryLayout.ArtifactsDir : Path.GetFullPath(settings.Artifacts));
        var options = new SweepRunOptions
        {
            DataYaml = settings.Data is null ? null : Path.GetFullPath(settings.Data),
            EnsureDefaultData = () => DataCommand.EnsureDefaultDataYaml(console, cancellationToken),
            Resume = settings.Resume,
            ExperimentName = settings.Experiment,
            MaxTrials = settings.MaxTrials,
            EvaluateWinnerOnTest = !settings.NoTest,
            SkipInvalid = settings.SkipInvalid,
        };
        return SkipInvalidHint.Run(() => SweepSession.Run(console, store, new YoloTrialExecutor(CoreShare.DefaultDirectory), definition, options, cancellationToken));
    }
}
