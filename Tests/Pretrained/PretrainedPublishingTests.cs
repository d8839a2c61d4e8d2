using System.Text.Json.Nodes;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Commands;
using DigitMl.Experiments.Definitions;
using DigitMl.Experiments.Sweeps;
using DigitMl.Modeling;
using DigitMl.Pretrained;
using DigitMl.Tests.Experiments;
using DigitMl.Tests.TestData;
using DigitMl.Training;
using static TorchSharp.torch;

namespace DigitMl.Tests.Pretrained;

/// <summary>
/// Publishing a trained version as pretrained weights (`export --pretrained`), `export --safetensors`, `info --init`,
/// and `init` with an Ultralytics checkpoint through a real trial. One real trial (tiny, 64 px, 1 epoch) is shared.
/// </summary>
[NonParallelizable]
public sealed class PretrainedPublishingTests
{
    private static readonly string UltralyticsFixture = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "ultralytics", "tiny-yolov8.pt");

    private TempFolder _temp = null!;
    private string _version = "";

    [OneTimeSetUp]
    public void TrainOneVersionFromTheUltralyticsFixture()
    {
        _temp = new TempFolder();
        var store = new ArtifactStore(Path.Combine(_temp.Path, "artifacts"));
        var data = TinyScenes.Create(train: 8, val: 4, test: 4);
        var definition = ExperimentDefinition.Create("pretrain").WithData(data)
            .Fix("scale", "tiny").Fix("imgsz", 64).Fix("epochs", 1).Fix("batch", 4).Fix("workers", 0)
            .Fix("warmup_epochs", 0).Fix("close_mosaic", 0).Fix("optimizer", "SGD").Fix("init", UltralyticsFixture);
        var summary = new SweepRunner(store, new YoloTrialExecutor()).Run(definition, new SweepRunOptions());
        Assert.That(summary.Trials.Single().Status, Is.EqualTo("ok"), summary.Trials.Single().Reason);
        _version = store.Versions("pretrain").Single();
    }

    [OneTimeTearDown]
    public void RemoveFolder() => _temp.Dispose();

    private static (int Code, string Output) Run(params string[] args)
    {
        var (code, output, _) = CliInProcess.Run(args);
        return (code, output);
    }

    [Test]
    public void InitFromAnUltralyticsCheckpointLoadsEveryTensorAndTheVersionSaysSo()
    {
        string report = File.ReadAllText(Path.Combine(_version, TrainingFiles.InitReport));
        Assert.That(report, Does.StartWith($"{UltralyticsFixture}: loaded 355, skipped 0 (shape mismatch), re-initialised 0, missing 0, unexpected 0"));
        Assert.That(JsonFiles.Text(JsonFiles.ReadObject(Path.Combine(_version, TrialConfig.FileName)), "init_resolved"), Is.EqualTo(UltralyticsFixture));
    }

    [Test]
    public void PublishingWritesFp16WeightsAndAProvenanceThatVerifiesAndDescribesTheRun()
    {
        string destination = Path.Combine(_temp.Path, "published");
        string robustness = Path.Combine(_temp.Path, "robustness.json");
        File.WriteAllText(robustness, """[{"condition": "rotated 90", "images": 40, "instances": 97, "map50": 0.91, "map50_95": 0.7}]""");

        var (code, output) = Run("export", "--model", _version, "--pretrained", "--pretrained-dir", destination, "--robustness", robustness);
        Assert.That(code, Is.Zero, output);
        string weights = Path.Combine(destination, PretrainedWeights.WeightsFileName);
        var provenance = PretrainedProvenance.Read(Path.Combine(destination, PretrainedWeights.ProvenanceFileName));
        Assert.That(output, Does.Contain(provenance.Sha256));

        var tensors = PretrainedWeights.Verify(weights, provenance);
        var config = JsonFiles.ReadObject(Path.Combine(_version, TrialConfig.FileName))!;
        var info = Checkpoint.ReadInfo(Path.Combine(_version, TrainingFiles.BestCheckpoint));
        Assert.That(provenance.Release, Is.EqualTo(1));
        Assert.That(provenance.Bytes, Is.EqualTo(new FileInfo(weights).Length));
        Assert.That(provenance.Model, Is.EqualTo(new PretrainedModel("tiny", provenance.Model.Names, 1, 64, 16)));
        Assert.That(provenance.Model.Names, Is.EqualTo(info.Names));
        Assert.That(provenance.Training.Experiment, Is.EqualTo("pretrain"));
        Assert.That(provenance.Training.Version, Is.EqualTo("v0001"));
        Assert.That(provenance.Training.Epochs, Is.EqualTo(1));
        Assert.That(provenance.Training.Hours, Is.GreaterThan(0));
        Assert.That(provenance.Training.GitCommit, Is.EqualTo(JsonFiles.Text(config, "git_commit")));
        Assert.That(provenance.Training.DataFingerprint, Is.EqualTo(JsonFiles.Text(config["data"], "fingerprint")));
        Assert.That(provenance.Training.Hyperparameters!["init"]!.GetValue<string>(), Is.EqualTo(UltralyticsFixture));
        Assert.That(provenance.Training.DefinitionSource, Is.Null.Or.Not.Empty);
        Assert.That(provenance.Robustness!.AsArray()[0]!["map50"]!.GetValue<double>(), Is.EqualTo(0.91));

        // fp16 with Ultralytics names: the checkpoint's EMA weights to fp16 precision, and a model takes every tensor
        Assert.That(tensors["model.0.conv.weight"].DType, Is.EqualTo(ScalarType.Float16));
        Assert.That(tensors["model.0.bn.num_batches_tracked"].DType, Is.EqualTo(ScalarType.Int64));
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 10);
        var report = WeightTransfer.LoadInto(model, weights);
        Assert.That(report.Loaded, Has.Count.EqualTo(model.state_dict().Count));
        var ema = Checkpoint.ReadStateDict(Path.Combine(_version, TrainingFiles.BestCheckpoint));
        try
        {
            foreach (var (name, tensor) in model.state_dict())
                Assert.That(tensor.allclose(ema[name].to(tensor.dtype), rtol: 1e-3, atol: 1e-4), Is.True, name);
        }
        finally
        {
            foreach (var t in ema.Values) t.Dispose();
        }

        // the same weights again keep the release; a changed file no longer verifies
        Assert.That(Run("export", "--model", _version, "--pretrained", "--pretrained-dir", destination).Code, Is.Zero);
        var again = PretrainedProvenance.Read(Path.Combine(destination, PretrainedWeights.ProvenanceFileName));
        Assert.That(again.Release, Is.EqualTo(1));
        Assert.That(again.Sha256, Is.EqualTo(provenance.Sha256), "the same checkpoint gives the same bytes");
        Assert.That(again.Robustness, Is.Not.Null, "the table is kept when --robustness is not given again for the same weights");
        var other = new PretrainedProvenance { File = again.File, Sha256 = "0" + again.Sha256[1..], Model = again.Model, Training = again.Training, Robustness = again.Robustness, Release = 4 };
        other.Write(Path.Combine(destination, PretrainedWeights.ProvenanceFileName));
        Assert.That(Run("export", "--model", _version, "--pretrained", "--pretrained-dir", destination).Code, Is.Zero);
        var next = PretrainedProvenance.Read(Path.Combine(destination, PretrainedWeights.ProvenanceFileName));
        Assert.That(next.Release, Is.EqualTo(5), "other weights than the last published ones are the next release");
        Assert.That(next.Robustness, Is.Null, "a table measured on other weights is not carried over");
        byte[] bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0xff;
        File.WriteAllBytes(weights, bytes);
        Assert.That(() => PretrainedWeights.Verify(weights, again), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("SHA-256"));

        string described = InitialWeightsDescription.Format(new InitialWeightsSource("pretrained", "shipped", tensors, provenance.Model.Names, 1) { Provenance = again });
        Assert.That(next.Sha256, Is.EqualTo(again.Sha256));
        Assert.That(described, Does.Contain($"sha256 {provenance.Sha256}"));
        Assert.That(described, Does.Contain("experiment pretrain v0001, 1 epochs"));
        Assert.That(described, Does.Match(@"rotated 90\s+40\s+97\s+0\.91\s+0\.7"));
    }

    [Test]
    public void ExportSafetensorsWritesReferenceNamesWithTheClassesInItsMetadata()
    {
        string path = Path.Combine(_temp.Path, "weights.safetensors");
        var (code, output) = Run("export", "--model", _version, "--safetensors", path);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("355 tensors (F32)"));
        var metadata = SafetensorsReader.ReadMetadata(path);
        Assert.That(SafetensorsExport.ClassesOf(metadata).Names, Is.EqualTo(Checkpoint.ReadInfo(Path.Combine(_version, TrainingFiles.BestCheckpoint)).Names));
        Assert.That(SafetensorsReader.Read(path)["model.22.dfl.conv.weight"].DType, Is.EqualTo(ScalarType.Float32));

        var (infoCode, described) = Run("info", "--init", path);
        Assert.That(infoCode, Is.Zero, described);
        Assert.That(described, Does.Contain("safetensors written by DigitMl").And.Contain("classes:     10 (0 1 2 3 4 5 6 7 8 9)"));

        var (fixtureCode, fixture) = Run("info", "--init", UltralyticsFixture);
        Assert.That(fixtureCode, Is.Zero, fixture);
        Assert.That(fixture, Does.Contain("PyTorch checkpoint: ultralytics.nn.tasks.DetectionModel from 'model', Ultralytics 8.1.0").And.Contain("tensors:     355"));
    }

    [Test]
    public void ExportAndInfoPrintTheirHelp()
    {
        // the --fixed-size text once held "[batch, ...]", which Spectre read as markup and failed on
        Assert.That(Run("export", "--help").Code, Is.Zero);
        Assert.That(Run("info", "--help").Code, Is.Zero);
    }

    [Test]
    public void OptionsThatDoNotGoTogetherAreRefused()
    {
        Assert.That(Run("export", "--model", _version, "--fp16").Code, Is.Not.Zero);
        Assert.That(Run("export", "--model", _version, "--pretrained", "--safetensors", "x.safetensors").Code, Is.Not.Zero);
        Assert.That(Run("export", "--model", _version, "--robustness", "r.json").Code, Is.Not.Zero);
    }
}
