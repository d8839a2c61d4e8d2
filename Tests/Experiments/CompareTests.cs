using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Definitions;
using DigitMl.Experiments.Sweeps;

namespace DigitMl.Tests.Experiments;

public sealed class CompareTests
{
    private TempFolder _temp = null!;
    private ArtifactStore _store = null!;

    [OneTimeSetUp]
    public void RunASmallSweep()
    {
        _temp = new TempFolder();
        _store = new ArtifactStore(_temp.Path);
        var definition = ExperimentDefinition.Create("cmp").WithData("data.yaml").Fix("epochs", 2).Fix("batch", 8)
            .Search("lr0", 0.01, 0.05, 0.03);
        new SweepRunner(_store, new ScriptedTrialExecutor { FailWhenLr0 = 0.03 }).Run(definition, new SweepRunOptions());
        var plots = Path.Combine(_store.ExperimentDirectory("cmp"), "v0002", "plots");
        Directory.CreateDirectory(plots);
        File.WriteAllBytes(Path.Combine(plots, "PR_curve.png"), [0x89, 0x50, 0x4E, 0x47]);
    }

    [OneTimeTearDown]
    public void Clean() => _temp.Dispose();

    [Test]
    public void TheFrameHasMetricsAndOnlyTheHyperparametersThatDiffer()
    {
        var comparison = ArtifactComparison.Load(_store, "cmp", "map50_95");
        var columns = comparison.Frame.Columns.Select(c => c.Name).ToList();

        Assert.That(columns, Is.EqualTo(new[]
        {
            "version", "status", "fitness", "map50", "map50_95", "precision", "recall", "f1", "test_map50", "test_map50_95",
            "epochs_run", "trial_s", "lr0", "reason",
        }));
        Assert.That(comparison.Versions.Select(v => v.Version), Is.EqualTo(new[] { "v0002", "v0001", "v0003" }), "best first, failed last");
        Assert.That(comparison.Frame.Columns["status"][2], Is.EqualTo("failed"));
    }

    [Test]
    public void CsvAndMarkdownListEveryVersion()
    {
        var frame = ArtifactComparison.Load(_store, "cmp").Frame;
        var csv = ComparisonFormatter.ToCsv(frame).TrimEnd().Split('\n');
        var md = ComparisonFormatter.ToMarkdown(frame).TrimEnd().Split('\n');

        Assert.That(csv, Has.Length.EqualTo(4));
        Assert.That(csv[1], Does.StartWith("v0002,ok,0.5000,"));
        Assert.That(md, Has.Length.EqualTo(5));
        Assert.That(md[0], Does.StartWith("| version | status | fitness |"));
    }

    [Test]
    public void TheHtmlReportEmbedsThePlotsOfEachVersion()
    {
        var html = HtmlReport.Render(ArtifactComparison.Load(_store, "cmp"), "cmp");

        Assert.That(html, Does.Contain("data:image/png;base64,iVBORw==").And.Contain("<td>v0003</td>").And.Contain("NaN loss"));
    }

    [Test]
    public void TheCommandPrintsCsvAndRejectsAnUnknownSortKey()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        int exit;
        try
        {
            exit = DigitMlApp.Run(["compare", "--artifacts", _temp.Path, "--experiment", "cmp", "--format", "csv"]);
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.That(exit, Is.Zero);
        Assert.That(output.ToString(), Does.StartWith("version,status,fitness,"));
        Assert.That(() => ArtifactComparison.Load(_store, "cmp", "loss"), Throws.ArgumentException.With.Message.Contains("cannot sort"));
    }
}
