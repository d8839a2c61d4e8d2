using System.ComponentModel;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Display;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`compare`: ranks the versions of an experiment from their metrics.json and config.json.</summary>
public sealed class CompareCommand : Command<CompareCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--experiment <NAME>")]
        [Description("Experiment to compare (default: every experiment under the artifacts folder).")]
        public string? Experiment { get; init; }

        [CommandOption("--sort <METRIC>")]
        [Description("Column to rank by, highest first: fitness (default), map50, map50_95, precision, recall, f1, test_map50, test_map50_95, epochs_run, trial_s, version.")]
        public string Sort { get; init; } = "fitness";

        [CommandOption("--format <FORMAT>")]
        [Description("table (default), csv or md.")]
        public string Format { get; init; } = "table";

        [CommandOption("--html <FILE>")]
        [Description("Also write a self-contained HTML report (leaderboard, PR curves, confusion matrices).")]
        public string? Html { get; init; }

        [CommandOption("--artifacts <DIR>")]
        [Description("Artifacts folder (default: artifacts/ of the repository).")]
        public string? Artifacts { get; init; }

        public override ValidationResult Validate() =>
            Format is "table" or "csv" or "md" ? ValidationResult.Success() : ValidationResult.Error($"--format must be table, csv or md, not '{Format}'");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var store = new ArtifactStore(settings.Artifacts is null ? RepositoryLayout.ArtifactsDir : Path.GetFullPath(settings.Artifacts));
        var comparison = ArtifactComparison.Load(store, settings.Experiment, settings.Sort);
        switch (settings.Format)
        {
            case "csv":
                Console.Out.Write(ComparisonFormatter.ToCsv(comparison.Frame));
                break;
            case "md":
                Console.Out.Write(ComparisonFormatter.ToMarkdown(comparison.Frame));
                break;
            default:
                ComparisonTable.Write(AnsiConsole.Console, comparison, settings.Experiment ?? "all experiments");
                break;
        }

        if (settings.Html is { } html)
        {
            var path = Path.GetFullPath(html);
            AtomicFile.WriteAllText(path, HtmlReport.Render(comparison, $"DigitMl: {settings.Experiment ?? "all experiments"}"));
            Console.Error.WriteLine($"wrote {path}");
        }

        return 0;
    }
}
