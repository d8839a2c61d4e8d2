using System.ComponentModel;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Definitions;
using DigitMl.Experiments.Sweeps;
using DigitMl.Training.Threading;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`train`: one model, one versioned artifact (a one-trial sweep: same code path, same files).</summary>
public sealed class TrainCommand(IAnsiConsole console) : Command<TrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--data <YAML>")]
        [Description("data.yaml (default: the generated digit scenes, created on first use).")]
        public string? Data { get; init; }

        [CommandOption("--experiment <NAME>")]
        [Description("Experiment the version is stored under (default: train).")]
        public string Experiment { get; init; } = "train";

        [CommandOption("--scale <SCALE>")]
        [Description("Setting scale: the model size (table below).")]
        public string? Scale { get; init; }

        [CommandOption("--imgsz <PX>")]
        [Description("Setting imgsz: training/inference size in pixels.")]
        public int? ImageSize { get; init; }

        [CommandOption("--epochs <N>")]
        [Description("Setting epochs.")]
        public int? Epochs { get; init; }

        [CommandOption("--batch <N>")]
        [Description("Setting batch: images per batch.")]
        public int? Batch { get; init; }

        [CommandOption("--lr0 <LR>")]
        [Description("Setting lr0: initial learning rate.")]
        public double? Lr0 { get; init; }

        [CommandOption("--rotate <ANGLES>")]
        [Description("Setting rotate: add right-angle turns of the training images, e.g. 90,180,270.")]
        public string? Rotate { get; init; }

        [CommandOption("--rotate-policy <POLICY>")]
        [Description("Setting rotate_policy: what the turns do with 6 and 9 (drop, keep, relabel, turns).")]
        public string? RotatePolicy { get; init; }

        [CommandOption("--init <PATH>")]
        [Description("Setting init: starting weights (pretrained, a checkpoint, yolov8n.pt, an Ultralytics-named safetensors file, experiment:NAME).")]
        public string? Init { get; init; }

        [CommandOption("--freeze <K>")]
        [Description("Setting freeze: keep the first K layers frozen.")]
        public int? Freeze { get; init; }

        [CommandOption("--seed <N>")]
        [Description("Setting seed.")]
        public int? Seed { get; init; }

        [CommandOption("--precision <PRECISION>")]
        [Description("auto (default: bf16 mixed precision where the CPU has bf16 instructions, else fp32), fp32 or bf16. Checkpoints and ONNX stay float32.")]
        public string? Precision { get; init; }

        [CommandOption("--threads <N>")]
        [Description("libtorch threads (default 0: the cores this process may use, shared with other training jobs running on the machine).")]
        public int? Threads { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Any setting of the table below by its key, e.g. --set lrf=0.1 --set mosaic=0. Repeatable.")]
        public string[] Set { get; init; } = [];

        [CommandOption("--artifacts <DIR>")]
        [Description("Artifacts folder (default: artifacts/ of the repository).")]
        public string? Artifacts { get; init; }

        [CommandOption("--skip-invalid")]
        [Description(SkipInvalidHint.Description)]
        public bool SkipInvalid { get; init; }

        [CommandOption("--no-test")]
        [Description("Do not score the model on the test split at the end.")]
        public bool NoTest { get; init; }

        public override ValidationResult Validate()
        {
            try
            {
                ToDefinition();
                return ValidationResult.Success();
            }
            catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
            {
                return ValidationResult.Error(e.Message);
            }
        }

        public ExperimentDefinition ToDefinition()
        {
            var definition = ExperimentDefinition.Create(Experiment) with { Source = "train command" };
            var values = new List<(string Key, object? Value)>
            {
                ("scale", Scale), ("imgsz", ImageSize), ("epochs", Epochs), ("batch", Batch), ("lr0", Lr0), ("rotate", Rotate),
                ("rotate_policy", RotatePolicy), ("init", Init), ("freeze", Freeze), ("seed", Seed),
                ("precision", Precision), ("threads", Threads),
            };
            foreach (var pair in Set)
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0) throw new ArgumentException($"--set expects KEY=VALUE, got '{pair}'");
                values.Add((pair[..equals].Trim(), pair[(equals + 1)..].Trim()));
            }

            foreach (var (key, value) in values.Where(v => v.Value is not null))
                definition = definition.Fix(key, value);
            return definition;
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var store = new ArtifactStore(settings.Artifacts is null ? RepositoryLayout.ArtifactsDir : Path.GetFullPath(settings.Artifacts));
        var options = new SweepRunOptions
        {
            DataYaml = settings.Data is null ? null : Path.GetFullPath(settings.Data),
            EnsureDefaultData = () => DataCommand.EnsureDefaultDataYaml(console, cancellationToken),
            EvaluateWinnerOnTest = !settings.NoTest,
            SkipInvalid = settings.SkipInvalid,
        };
        return SkipInvalidHint.Run(() => SweepSession.Run(console, store, new YoloTrialExecutor(CoreShare.DefaultDirectory), settings.ToDefinition(), options, cancellationToken));
    }
}
