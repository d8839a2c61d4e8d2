using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Definitions;
using DigitMl.Experiments.Display;
using DigitMl.Experiments.Sweeps;
using Spectre.Console;

namespace DigitMl.Tests.Experiments;

public sealed class SweepConsoleTests
{
    [Test]
    public void NonInteractiveOutputHasPlainEpochLinesAndASummaryWithTheLoadLine()
    {
        using var temp = new TempFolder();
        var store = new ArtifactStore(temp.Path);
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        var definition = ExperimentDefinition.Create("plain").WithData("data.yaml").Fix("epochs", 2).Search("lr0", 0.01, 0.02);

        int exit = SweepSession.Run(console, store, new ScriptedTrialExecutor(), definition, new SweepRunOptions(), CancellationToken.None);

        var text = writer.ToString();
        Assert.That(exit, Is.Zero);
        Assert.That(text, Does.Contain("[t01 1/2] v0001 lr0=0.01: training 2 epochs"));
        Assert.That(text, Does.Contain("[t02] epoch 2/2  box 0.500 cls 0.500 dfl 0.250  100.0 img/s  val fitness 0.2000"));
        Assert.That(text, Does.Contain("eta "));
        Assert.That(text, Does.Contain($"load it in C#:  var detector = DigitDetector.Load(\"{Path.Combine(temp.Path, "plain", "v0002")}\");"));
        Assert.That(text, Does.Contain("mAP50 0.4200"), "test metrics of the winner");
    }

    [Test]
    public void CancellingReturnsTheInterruptExitCodeAndKeepsTheSweepResumable()
    {
        using var temp = new TempFolder();
        var store = new ArtifactStore(temp.Path);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()), Interactive = InteractionSupport.No });
        var definition = ExperimentDefinition.Create("c").WithData("data.yaml").Fix("epochs", 2);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        int exit = SweepSession.Run(console, store, new ScriptedTrialExecutor(), definition, new SweepRunOptions(), cancel.Token);

        Assert.That(exit, Is.EqualTo(SweepSession.CancelledExitCode));
        Assert.That(SweepState.Unfinished(store, "c"), Has.Count.EqualTo(1));
    }

    [Test]
    public void OnAnInteractiveConsoleTheDefaultDatasetBarJoinsTheSweepDisplay()
    {
        using var temp = new TempFolder();
        var store = new ArtifactStore(temp.Path);
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Interactive = InteractionSupport.Yes,
        });
        console.Profile.Width = 160;
        console.Profile.Height = 40; // a terminal's size: without one the live display has no rows to draw into
        var definition = ExperimentDefinition.Create("live").Fix("epochs", 2).Search("lr0", 0.01, 0.02);
        bool joined = false;
        var options = new SweepRunOptions
        {
            // what `sweep` does on the default data: a counted progress bar while the scenes are generated
            EnsureDefaultData = () => CountedProgress.Run(console, "generating digit scenes", (int done) => (done, 4), progress =>
            {
                joined = LiveProgress.IsRunning(console);
                for (int i = 1; i <= 4; i++) progress.Report(i);
                return "data.yaml";
            }),
        };

        int exit = SweepSession.Run(console, store, new ScriptedTrialExecutor(), definition, options, CancellationToken.None);

        var text = writer.ToString();
        Assert.That(exit, Is.Zero, text);
        Assert.That(joined, Is.True, "the data bar is drawn inside the sweep's live display");
        Assert.That(text, Does.Contain("\u001b["), "ANSI output");
        Assert.That(text, Does.Contain("generating digit scenes"));
        Assert.That(text, Does.Contain("t02 v0002: ok"));
        Assert.That(LiveProgress.IsRunning(console), Is.False, "the display ended with the sweep");
    }

    [Test]
    public void ASecondLiveDisplayOnTheSameConsoleAddsItsBarsToTheRunningOne()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        });

        var inner = LiveProgress.Run(console, outer =>
        {
            outer.AddTask("outer");
            return LiveProgress.Run(console, context => ReferenceEquals(context, outer));
        });

        Assert.That(inner, Is.True);
        Assert.That(() => console.Progress().Start(_ => { }), Throws.Nothing, "the display is released afterwards");
    }

    [Test]
    public void OnlyLiveProgressStartsALiveDisplay()
    {
        // a command that starts its own Progress/Status/Live display dies when it runs inside another one
        var experiments = Path.Combine(DigitMl.Experiments.Cli.RepositoryLayout.Root, "Experiments");
        var starters = new[] { ".Progress()", ".Status()", ".Live(" };
        var offenders = Directory.GetFiles(experiments, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) != "LiveProgress.cs")
            .Where(f => starters.Any(File.ReadAllText(f).Contains))
            .Select(f => Path.GetRelativePath(experiments, f))
            .ToList();

        Assert.That(offenders, Is.Empty, "start live displays through Display/LiveProgress.cs");
    }
}
