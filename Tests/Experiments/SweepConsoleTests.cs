using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Definitions;
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
}
