using System.Globalization;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Sweeps;
using Spectre.Console;

namespace DigitMl.Experiments.Display;

/// <summary>The end-of-sweep summary: every trial of this sweep, then the experiment's best version and how to load it.</summary>
public static class SweepReport
{
    public static void Write(IAnsiConsole console, SweepSummary summary, string? baseDirectory = null)
    {
        var trials = new Table().Title(Markup.Escape($"sweep {summary.State.Experiment} {summary.State.Id} ({ProgressText.Duration(summary.Elapsed)})"))
            .AddColumns("trial", "version", "status", "settings", $"val {summary.State.RankMetric}", "val mAP50", "val mAP50-95", "note");
        foreach (var trial in summary.Trials)
        {
            var version = trial.VersionName is { } name && Directory.Exists(Path.Combine(summary.ExperimentDirectory, name))
                ? VersionSummary.Load(Path.Combine(summary.ExperimentDirectory, name))
                : null;
            trials.AddRow(
                Markup.Escape(trial.Name),
                Markup.Escape(trial.VersionName ?? "-"),
                Markup.Escape(trial.Status),
                Markup.Escape(trial.Description),
                Number(version?.Score(summary.State.RankMetric)),
                Number(version?.Val?.Map50),
                Number(version?.Val?.Map50To95),
                Markup.Escape(trial.Reason ?? ""));
        }

        console.Write(trials);
        if (summary.Skipped is { } skipped) console.Profile.Out.Writer.WriteLine($"data: {skipped.Describe()}");
        WriteBest(console, summary.Best, summary.ExperimentDirectory, baseDirectory);
    }

    public static void WriteBest(IAnsiConsole console, VersionSummary? best, string experimentDirectory, string? baseDirectory = null)
    {
        if (best is null)
        {
            console.MarkupLine(Markup.Escape($"no successful version in {experimentDirectory} yet: see leaderboard.csv for the reasons"));
            return;
        }

        var shown = DisplayPath(best.Directory, baseDirectory);
        var table = new Table().Title("best version").HideHeaders().AddColumns("what", "value");
        table.AddRow("version", Markup.Escape($"{best.Version} ({best.Trial}: {best.Description})"));
        table.AddRow("val", Markup.Escape(Metrics(best.Val)));
        table.AddRow("test", Markup.Escape(best.Test is null ? "not evaluated" : Metrics(best.Test)));
        table.AddRow("folder", Markup.Escape(shown));
        table.AddRow("files", Markup.Escape(string.Join(' ', new[] { "model.zip", "model.onnx", "best.ckpt", "metrics.json", "config.json", "plots/" }
            .Where(f => Path.Exists(Path.Combine(best.Directory, f))))));
        table.AddRow("leaderboard", Markup.Escape(DisplayPath(Path.Combine(experimentDirectory, ArtifactStore.LeaderboardFileName), baseDirectory)));
        console.Write(table);
        string rotations = Path.Combine(best.Directory, YoloTrialExecutor.TestRotationsMarkdown);
        if (File.Exists(rotations))
        {
            // as plain Markdown lines, to paste into a README
            console.Profile.Out.Writer.WriteLine($"test split turned by 0/90/180/270 degrees ({YoloTrialExecutor.TestRotationsMarkdown}):");
            console.Profile.Out.Writer.WriteLine(File.ReadAllText(rotations).TrimEnd());
        }

        // outside the table so that it is never wrapped and copies as one line
        console.Profile.Out.Writer.WriteLine("load it in C#:  " + LoadLine(shown));
    }

    /// <summary>The one line of C# that loads a version folder.</summary>
    public static string LoadLine(string versionPath) => $"var detector = DigitDetector.Load(\"{versionPath.Replace('\\', '/')}\");";

    /// <summary>Relative to the working directory when the folder is below it, absolute otherwise.</summary>
    public static string DisplayPath(string path, string? baseDirectory = null)
    {
        var root = Path.GetFullPath(baseDirectory ?? Environment.CurrentDirectory);
        var relative = Path.GetRelativePath(root, Path.GetFullPath(path));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFullPath(path) : relative;
    }

    private static string Metrics(MetricSummary? m) =>
        m is null
            ? "-"
            : string.Create(CultureInfo.InvariantCulture, $"mAP50 {m.Map50:0.0000}  mAP50-95 {m.Map50To95:0.0000}  P {m.Precision:0.000}  R {m.Recall:0.000}  fitness {m.Fitness:0.0000}  ({m.Images} images, {m.Instances} digits)");

    private static string Number(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-";
}
