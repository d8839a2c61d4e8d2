using DigitMl.Data.Scenes;
using DigitMl.Experiments.Cli;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Experiments;

/// <summary>
/// Every command that draws progress, run as a user runs it in a terminal: the real CLI under a pseudo-terminal,
/// so Spectre.Console draws live displays (issue 11: `sweep` and `train` died at once in every terminal because
/// the default dataset's progress bar started a second live display inside the sweep's). The CLI runs in a small
/// stand-in repository (DigitMl.sln, the shipped MNIST files) whose default scene dataset is a tiny one marked as
/// the default, so the default-data path runs without generating 4000 scenes.
/// </summary>
[NonParallelizable]
public sealed class InteractiveTerminalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private readonly TempFolder _repository = new();
    private Lazy<PseudoTerminal.Run> _train = null!;

    private string Root => _repository.Path;

    private string DefaultDataYaml => Path.Combine(Root, "datasets", "digit-scenes", SceneGenerator.DataYamlFileName);

    private string TrainedVersion => Path.Combine(Root, "artifacts", "train", "v0001");

    [OneTimeSetUp]
    public void CreateRepository()
    {
        File.WriteAllText(Path.Combine(Root, RepositoryLayout.SolutionFileName), "");
        Directory.CreateDirectory(Path.Combine(Root, "datasets"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "datasets", "mnist"), RepositoryLayout.MnistDir);
        string scenes = Path.Combine(Root, "datasets", "digit-scenes");
        SceneGenerator.Generate(TinyScenes.Mnist, scenes, TinyScenes.Options(train: 8, val: 4, test: 4));
        File.WriteAllText(Path.Combine(scenes, SceneDatasetMarker.FileName), SceneDatasetMarker.Expected(SceneOptions.Default, TinyScenes.Mnist));
        _train = new(() => PseudoTerminal.RunCli(Root, Timeout,
            "train", "--scale", "tiny", "--imgsz", "64", "--epochs", "1", "--batch", "4", "--set", "workers=0", "--set", "warmup_epochs=0", "--set", "optimizer=SGD"));
    }

    [OneTimeTearDown]
    public void RemoveRepository() => _repository.Dispose();

    [Test]
    public void SweepOnTheDefaultDatasetDrawsLiveBarsAndFinishes()
    {
        string config = Path.Combine(Root, "tiny.yaml");
        File.WriteAllText(config, """
            name: terminal
            data: default
            fixed: {scale: tiny, imgsz: 64, epochs: 1, batch: 4, workers: 0, warmup_epochs: 0, close_mosaic: 0, optimizer: SGD}
            search:
              lr0: [0.01, 0.02]
            """);

        var run = PseudoTerminal.RunCli(Root, Timeout, "sweep", "--config", config);

        AssertDrewLiveBarsAndSucceeded(run);
        Assert.That(run.Text, Does.Contain("t01 v0001: ok"), run.Text);
        Assert.That(run.Text, Does.Contain("t02 v0002: ok"), run.Text);
        Assert.That(run.Text, Does.Contain("load it in C#:"), run.Text);
        Assert.That(File.Exists(Path.Combine(Root, "artifacts", "terminal", "v0002", "model.onnx")), Is.True);
    }

    [Test]
    public void TrainOnTheDefaultDatasetDrawsLiveBarsAndFinishes()
    {
        var run = _train.Value;

        AssertDrewLiveBarsAndSucceeded(run);
        Assert.That(run.Text, Does.Contain("t01 v0001: ok"), run.Text);
        Assert.That(File.Exists(Path.Combine(TrainedVersion, "model.zip")), Is.True);
    }

    [Test]
    public void DataDrawsItsBarsAndWritesTheDatasetWithRotatedSplits()
    {
        string output = Path.Combine(Root, "written-scenes");

        var run = PseudoTerminal.RunCli(Root, Timeout, "data", "--out", output, "--train", "40", "--val", "4", "--test", "8", "--imgsz", "64", "--rotations", "0,90");

        AssertDrewLiveBarsAndSucceeded(run);
        Assert.That(run.Text, Does.Contain("generating digit scenes"));
        Assert.That(run.Text, Does.Contain("wrote 52 scenes"));
        Assert.That(run.Text, Does.Contain("rotated test splits (8 images each)"));
    }

    [Test]
    public void AugmentOfTheDefaultDatasetDrawsItsBarAndWritesTheCopy()
    {
        string output = Path.Combine(Root, "rotated");

        var run = PseudoTerminal.RunCli(Root, Timeout, "augment", "--out", output, "--rotate", "90");

        AssertDrewLiveBarsAndSucceeded(run);
        Assert.That(run.Text, Does.Contain("train (rotated)"));
        Assert.That(File.Exists(Path.Combine(output, "data.yaml")), Is.True);
    }

    [Test]
    public void PredictDrawsItsBarAndWritesLabels()
    {
        Assert.That(_train.Value.ExitCode, Is.Zero, "train must succeed first: " + _train.Value.Text);
        string output = Path.Combine(Root, "predictions");

        var run = PseudoTerminal.RunCli(Root, Timeout, "predict", "--model", TrainedVersion, "--source", Path.Combine(Root, "datasets", "digit-scenes", "images", "test"), "--out", output);

        AssertDrewLiveBarsAndSucceeded(run);
        Assert.That(run.Text, Does.Contain("4 images,"));
        Assert.That(Directory.GetFiles(Path.Combine(output, "labels")), Has.Length.EqualTo(4));
    }

    [Test]
    public void EvaluatePrintsItsTableInATerminal()
    {
        Assert.That(_train.Value.ExitCode, Is.Zero, "train must succeed first: " + _train.Value.Text);

        var run = PseudoTerminal.RunCli(Root, Timeout, "evaluate", "--model", TrainedVersion, "--data", DefaultDataYaml, "--split", "test");

        Assert.That(run.ExitCode, Is.Zero, run.Text);
        Assert.That(run.Text, Does.Contain("mAP50-95"));
        Assert.That(run.Text, Does.Contain("fitness "));
        Assert.That(run.Text, Does.Not.Contain("error:"));
    }

    [Test]
    public void ExportWritesTheModelInATerminal()
    {
        Assert.That(_train.Value.ExitCode, Is.Zero, "train must succeed first: " + _train.Value.Text);
        string onnx = Path.Combine(Root, "exported.onnx");

        var run = PseudoTerminal.RunCli(Root, Timeout, "export", "--model", TrainedVersion, "--out", onnx);

        Assert.That(run.ExitCode, Is.Zero, run.Text);
        Assert.That(run.Text, Does.Contain($"wrote {onnx}"));
        Assert.That(File.Exists(onnx), Is.True);
    }

    private static void AssertDrewLiveBarsAndSucceeded(PseudoTerminal.Run run)
    {
        Assert.That(run.Text, Does.Not.Contain("interactive functions concurrently"));
        Assert.That(run.ExitCode, Is.Zero, run.Text);
        Assert.That(run.HasAnsi, Is.True, "the console was interactive: the output holds ANSI sequences");
        Assert.That(run.Text, Does.Contain("━"), "a progress bar was drawn");
    }
}
