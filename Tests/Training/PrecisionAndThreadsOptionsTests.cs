using System.Text.Json.Nodes;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Commands;
using DigitMl.Experiments.Definitions;
using DigitMl.Tests.Scoring;
using DigitMl.Tests.TestData;
using DigitMl.Training;

namespace DigitMl.Tests.Training;

/// <summary>`precision` and `threads`: one settings-table entry each, so --precision / --threads, --set and experiment YAML all reach the trainer and config.json.</summary>
public sealed class PrecisionAndThreadsOptionsTests
{
    [Test]
    public void TheDefaultsAreAutoPrecisionAndAllAvailableCores()
    {
        var defaults = new YoloV8TrainerOptions();
        Assert.That((defaults.Precision, defaults.Threads), Is.EqualTo(("auto", 0)));
        var described = HyperParameters.Describe(new TrialSettings()).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.That(described["precision"], Is.EqualTo("auto"));
        Assert.That(described["threads"], Is.EqualTo(0));
    }

    [Test]
    public void TrainOptionsAndSetReachTheTrainerOptions()
    {
        var options = new TrainCommand.Settings { Precision = "bf16", Threads = 1 }.ToDefinition().Fixed.Trainer;
        Assert.That((options.Precision, options.Threads), Is.EqualTo(("bf16", 1)));

        var set = new TrainCommand.Settings { Set = ["precision=FP32", "threads=3"] }.ToDefinition().Fixed.Trainer;
        Assert.That((set.Precision, set.Threads), Is.EqualTo(("fp32", 3)));

        Assert.That(new TrainCommand.Settings { Precision = "fp16" }.Validate().Successful, Is.False);
        Assert.That(new TrainCommand.Settings { Threads = -1 }.Validate().Successful, Is.False);
    }

    [Test]
    public void SweepFixesThemForEveryTrialButNotOnResume()
    {
        var settings = new SweepCommand.Settings { Precision = "fp32", Threads = 2 };
        var definition = settings.ApplyOverrides(ExperimentYaml.LoadEmbedded());
        Assert.That((definition.Fixed.Trainer.Precision, definition.Fixed.Trainer.Threads), Is.EqualTo(("fp32", 2)));
        Assert.That(settings.Validate().Successful, Is.True);

        var resumed = new SweepCommand.Settings { Resume = true, Precision = "bf16" }.Validate();
        Assert.That(resumed.Successful, Is.False);
        Assert.That(resumed.Message, Does.Contain("resumed sweep keeps"));
    }

    [Test]
    public void TrainRecordsThemInConfigJsonAndSaysWhatItUses()
    {
        string data = TinyScenes.Create(8, 2, 1, imgsz: 64, seed: 11);
        string artifacts = TinyScenes.NewTempDirectory("precision-cli");

        var (exit, stdout, stderr) = PredictCommandTests.RunCli("train", "--data", data, "--artifacts", artifacts, "--no-test",
            "--scale", "tiny", "--imgsz", "64", "--epochs", "1", "--batch", "4", "--precision", "fp32", "--threads", "1",
            "--set", "workers=0", "--set", "warmup_epochs=0", "--set", "optimizer=SGD");

        Assert.That(exit, Is.Zero, stdout + stderr);
        Assert.That(stdout, Does.Contain("precision fp32, 1 libtorch thread"));
        var hyper = JsonNode.Parse(File.ReadAllText(Path.Combine(artifacts, "train", "v0001", TrialConfig.FileName)))!["hyperparameters"]!;
        Assert.That(hyper["precision"]!.GetValue<string>(), Is.EqualTo("fp32"));
        Assert.That(hyper["threads"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public void AnUnknownPrecisionIsOneErrorLineNamingTheChoices()
    {
        var (exit, stdout, stderr) = PredictCommandTests.RunCli("train", "--precision", "fp16");

        Assert.That(exit, Is.Not.Zero, stdout + stderr);
        Assert.That(stderr + stdout, Does.Contain("precision").And.Contain("auto, fp32 or bf16"));
    }
}
