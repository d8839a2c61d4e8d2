using System.Diagnostics;
using System.Globalization;
using DigitMl.Data;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Suites;

/// <summary>The console side of `evaluate --suite robustness`: options, progress lines, the table and the JSON file.</summary>
public static class SuiteCommand
{
    public static ValidationResult Validate(EvaluateCommand.Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.Equals(settings.Suite, RobustnessConditions.SuiteName, StringComparison.OrdinalIgnoreCase))
            return ValidationResult.Error($"unknown suite '{settings.Suite}' (known: {RobustnessConditions.SuiteName})");
        if (settings.Model is null || settings.Predictions is not null) return ValidationResult.Error("--suite scores a model: give --model PATH (not --predictions)");
        if (settings.SuiteImages is < 1) return ValidationResult.Error("--suite-images must be at least 1");
        if (settings.Data is not null || settings.Split != "test" || settings.Plots is not null)
            return ValidationResult.Error("--suite generates its own sets: --data, --split and --plots do not apply");
        try
        {
            RobustnessConditions.Select(RobustnessConditions.All(), ParseConditions(settings.Conditions));
        }
        catch (ArgumentException e)
        {
            return ValidationResult.Error(e.Message);
        }
        return ValidationResult.Success();
    }

    public static int Run(EvaluateCommand.Settings settings, Func<IReadOnlyList<YoloSample>, IReadOnlyList<IReadOnlyList<Detection>>> predictor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var all = settings.SuiteImages is { } n
            ? RobustnessConditions.All(n, Math.Max(1, n / 8), n)
            : RobustnessConditions.All();
        var conditions = RobustnessConditions.Select(all, ParseConditions(settings.Conditions));
        string dir = settings.SuiteDir is null ? Path.Combine(RepositoryLayout.Root, "datasets", RobustnessConditions.SuiteName) : Path.GetFullPath(settings.SuiteDir);
        var suite = new RobustnessSuite(dir, RepositoryLayout.MnistDir);
        var clock = Stopwatch.StartNew();
        string? last = null;
        var progress = new Reporter(p =>
        {
            string line = $"{p.Phase} {p.Condition} ({p.Index + 1}/{p.Count})";
            if (line == last) return;
            last = line;
            Console.WriteLine(line);
        });
        var result = suite.Run(settings.Model!, predictor, conditions, progress, cancellationToken);

        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{RobustnessConditions.SuiteName} suite: {settings.Model}"));
        table.AddColumn("Condition");
        foreach (var name in new[] { "Images", "Instances", "mAP50", "mAP50-95", "mAP50-95 w/o 6,9" }) table.AddColumn(new TableColumn(name).RightAligned());
        foreach (var r in result.Rows)
        {
            table.AddRow(Markup.Escape(r.Condition), r.Images.ToString(CultureInfo.InvariantCulture), r.Instances.ToString(CultureInfo.InvariantCulture),
                F(r.Map50), F(r.Map50To95), F(r.Map50To95Without69));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{result.Rows.Count} sets, {result.Rows.Sum(r => r.Images)} images, {result.Rows.Sum(r => r.Instances)} digits in {clock.Elapsed.TotalSeconds:F1} s (sets cached in {dir})")));
        if (settings.Json is { } json)
        {
            if (Path.GetDirectoryName(Path.GetFullPath(json)) is { } parent) Directory.CreateDirectory(parent);
            File.WriteAllText(json, result.ToJson());
            AnsiConsole.MarkupLine($"suite results: {Markup.Escape(Path.GetFullPath(json))}");
        }
        return 0;
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string[]? ParseConditions(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed class Reporter(Action<RobustnessSuite.Progress> handler) : IProgress<RobustnessSuite.Progress>
    {
        public void Report(RobustnessSuite.Progress value) => handler(value);
    }
}
