using System.Text.Json.Nodes;
using DigitMl.Data.Scenes;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Definitions;
using DigitMl.Experiments.Sweeps;
using DigitMl.Tests.Data;
using DigitMl.Tests.Scoring;
using DigitMl.Tests.TestData;
using Spectre.Console;

namespace DigitMl.Tests.Experiments;

/// <summary>
/// `--skip-invalid` of train, sweep and evaluate (issue 11): a real dataset with a few broken files is warned about,
/// the broken images are left out and listed in a report, the work goes on, and the summary counts what was skipped.
/// Without the switch the error names every problem and says that the switch exists.
/// </summary>
[NonParallelizable]
public sealed class SkipInvalidTests
{
    private readonly TempFolder _temp = new();
    private string _data = "";
    private string _report = "";

    [OneTimeSetUp]
    public void WriteBrokenDataset()
    {
        // tiny scenes with three broken files from the committed fixtures: a truncated PNG and a label line with four
        // values among the training images, a file that is no PNG at all among the validation images
        string dir = Path.Combine(_temp.Path, "broken");
        _data = SceneGenerator.Generate(TinyScenes.Mnist, dir, TinyScenes.Options(train: 8, val: 4, test: 4));
        File.Copy(DatasetFixtures.Yaml("err-truncated", "images/train/cut.png"), Path.Combine(dir, "images", "train", "cut.png"));
        File.Copy(DatasetFixtures.Yaml("err-field-count", "images/train/img.png"), Path.Combine(dir, "images", "train", "badline.png"));
        File.Copy(DatasetFixtures.Yaml("err-field-count", "labels/train/img.txt"), Path.Combine(dir, "labels", "train", "badline.txt"));
        File.Copy(DatasetFixtures.Yaml("err-unreadable", "images/train/garbage.png"), Path.Combine(dir, "images", "val", "garbage.png"));
        _report = Path.ChangeExtension(_data, ".skipped.txt");
    }

    [OneTimeTearDown]
    public void Remove() => _temp.Dispose();

    [TestCase("train")]
    [TestCase("sweep")]
    [TestCase("evaluate")]
    public void WithoutTheSwitchTheErrorListsTheProblemsAndNamesTheSwitch(string command)
    {
        string[] args = command switch
        {
            "train" => ["train", "--data", _data, "--artifacts", Path.Combine(_temp.Path, "unused")],
            "sweep" => ["sweep", "--data", _data, "--artifacts", Path.Combine(_temp.Path, "unused")],
            _ => ["evaluate", "--predictions", Path.Combine(_temp.Path, "none"), "--data", _data, "--split", "val"],
        };

        var (exit, stdout, stderr) = PredictCommandTests.RunCli(args);

        Assert.That(exit, Is.EqualTo(1), stdout + stderr);
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        Assert.That(stderr, Does.Contain("garbage.png"));
        if (command != "evaluate") Assert.That(stderr, Does.Contain("badline.txt:2").And.Contain("cut.png"));
        Assert.That(stderr, Does.Contain("--skip-invalid"));
    }

    [Test]
    public void TrainWithTheSwitchSkipsTheBrokenImagesReportsThemAndTrains()
    {
        string artifacts = Path.Combine(_temp.Path, "train-artifacts");

        var (exit, stdout, stderr) = PredictCommandTests.RunCli("train", "--data", _data, "--artifacts", artifacts, "--skip-invalid", "--no-test",
            "--scale", "tiny", "--imgsz", "64", "--epochs", "1", "--batch", "4", "--set", "workers=0", "--set", "warmup_epochs=0", "--set", "optimizer=SGD");

        Assert.That(exit, Is.Zero, stdout + stderr);
        string line = $"skipped 3 images with problems (3 problems), listed in {_report}";
        Assert.That(stdout, Does.Contain("warning: " + line), "warned when the data is loaded");
        Assert.That(stdout, Does.Contain("data: " + line), "counted in the summary");
        Assert.That(stdout, Does.Contain("t01 v0001: ok"));
        var report = File.ReadAllText(_report);
        Assert.That(report, Does.Contain("cut.png").And.Contain("badline.txt:2").And.Contain("garbage.png"));
        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(artifacts, "train", "v0001", TrialConfig.FileName)))!["data"]!;
        Assert.That(data["train_images"]!.GetValue<int>(), Is.EqualTo(8), "the kept training images");
        Assert.That(data["skipped_images"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(data["skip_report"]!.GetValue<string>(), Is.EqualTo(_report));

        var evaluate = PredictCommandTests.RunCli("evaluate", "--model", Path.Combine(artifacts, "train", "v0001"), "--data", _data, "--split", "val", "--skip-invalid");

        Assert.That(evaluate.ExitCode, Is.Zero, evaluate.Stdout + evaluate.Stderr);
        Assert.That(evaluate.Stderr, Does.Contain("warning: skipped 1 image with problems (1 problem)"));
        Assert.That(evaluate.Stdout, Does.Contain("mAP50-95"));
        Assert.That(evaluate.Stdout, Does.Contain("data: skipped 1 image with problems (1 problem), listed in ").And.Contain("the metrics cover the 4 images kept"));
    }

    [Test]
    public void SweepWithTheSwitchSkipsTheBrokenImagesAndSaysSoInItsSummary()
    {
        string config = Path.Combine(_temp.Path, "sweep.yaml");
        File.WriteAllText(config, $$"""
            name: skipping
            data: {{_data}}
            fixed: {scale: tiny, imgsz: 64, epochs: 1, batch: 4, workers: 0, warmup_epochs: 0, close_mosaic: 0, optimizer: SGD}
            search:
              lr0: [0.01]
            """);

        var (exit, stdout, stderr) = PredictCommandTests.RunCli("sweep", "--config", config, "--artifacts", Path.Combine(_temp.Path, "sweep-artifacts"), "--skip-invalid", "--no-test");

        Assert.That(exit, Is.Zero, stdout + stderr);
        string line = $"skipped 3 images with problems (3 problems), listed in {_report}";
        Assert.That(stdout, Does.Contain("warning: " + line));
        Assert.That(stdout, Does.Contain("data: " + line));
        Assert.That(stdout, Does.Contain("t01 v0001: ok"));
    }

    [Test]
    public void TheRealExecutorLeavesTheBrokenImagesOutAndCountsThem()
    {
        var prepared = new YoloTrialExecutor().Prepare(_data, skipInvalid: true);

        Assert.That(prepared.Skipped, Is.EqualTo(new SkippedData(3, 3, _report)));
        Assert.That(prepared.Description.TrainImages, Is.EqualTo(8));
        Assert.That(prepared.Description.ValImages, Is.EqualTo(4));
        Assert.That(() => new YoloTrialExecutor().Prepare(_data, skipInvalid: false), Throws.TypeOf<DigitMl.Data.DatasetValidationException>());
    }

    [Test]
    public void ASweepThatSkipsKeepsTheSettingOnResumeAndSaysSoInItsSummary()
    {
        using var temp = new TempFolder();
        var store = new ArtifactStore(temp.Path);
        var skipped = new SkippedData(2, 3, "/data/x.skipped.txt");
        var definition = ExperimentDefinition.Create("skip").WithData("data.yaml").Fix("epochs", 2).Search("lr0", 0.01, 0.02);
        using var cancel = new CancellationTokenSource();
        var first = new ScriptedTrialExecutor { SkippedWhenAsked = skipped, At = (at, trial, _) => { if (trial == "t02") cancel.Cancel(); } };
        Assert.That(() => new SweepRunner(store, first).Run(definition, new SweepRunOptions { SkipInvalid = true }, cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());

        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Interactive = InteractionSupport.No });
        var second = new ScriptedTrialExecutor { SkippedWhenAsked = skipped };
        int exit = SweepSession.Run(console, store, second, definition, new SweepRunOptions { Resume = true }, CancellationToken.None);

        Assert.That(exit, Is.Zero, writer.ToString());
        Assert.That(second.PreparedWithSkip, Is.EqualTo(new[] { true }), "--resume loads the data the way the sweep started");
        Assert.That(writer.ToString(), Does.Contain("warning: skipped 2 images with problems (3 problems), listed in /data/x.skipped.txt"));
        Assert.That(writer.ToString(), Does.Contain("data: skipped 2 images with problems (3 problems), listed in /data/x.skipped.txt"));
    }
}
