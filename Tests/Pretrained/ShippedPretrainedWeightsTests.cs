using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Definitions;
using DigitMl.Experiments.Sweeps;
using DigitMl.Modeling;
using DigitMl.Pretrained;
using DigitMl.Tests.TestData;
using DigitMl.Training;
using static TorchSharp.torch;

namespace DigitMl.Tests.Pretrained;

/// <summary>
/// The weights the repository ships in artifacts/pretrained/ (`--init pretrained`): they load, have the tensors and
/// the hash their provenance records, are the ones this build embeds, and detect digits on generated scenes.
/// These tests fail (never skip) while the repository has no published weights: docs/pretrained.md says how to
/// publish them.
/// </summary>
[NonParallelizable]
public sealed class ShippedPretrainedWeightsTests
{
    /// <summary>mAP50 the shipped weights must reach on generated scenes of unseen (test-pool) digits at their own image size.</summary>
    private const double MinimumMap50 = 0.8;

    private static string Folder => Path.Combine(RepositoryLayout.Root, PretrainedWeights.RepositoryFolder);

    private static string WeightsPath => Path.Combine(Folder, PretrainedWeights.WeightsFileName);

    private static PretrainedProvenance Shipped()
    {
        string provenance = Path.Combine(Folder, PretrainedWeights.ProvenanceFileName);
        foreach (var file in new[] { WeightsPath, provenance })
            if (!File.Exists(file))
                Assert.Fail($"{file} is missing: the repository ships no pretrained weights yet. Publish them from the pretraining run's " +
                    $"version and commit both files: `dotnet run --project Experiments -- export --model artifacts/pretrain/vNNNN --pretrained " +
                    $"--robustness ROBUSTNESS.json`, then `git add {PretrainedWeights.RepositoryFolder}/{PretrainedWeights.WeightsFileName} " +
                    $"{PretrainedWeights.RepositoryFolder}/{PretrainedWeights.ProvenanceFileName}` (docs/pretrained.md).");
        return PretrainedProvenance.Read(provenance);
    }

    [Test]
    public void TheShippedFileHasTheHashAndTensorsOfItsProvenanceAndIsTheOneThisBuildEmbeds()
    {
        var provenance = Shipped();
        var tensors = PretrainedWeights.Verify(WeightsPath, provenance);

        Assert.That(provenance.Sha256, Is.EqualTo(PretrainedWeights.Sha256Of(File.ReadAllBytes(WeightsPath))));
        Assert.That(tensors, Has.Count.EqualTo(provenance.Tensors));
        Assert.That(tensors.Values.Where(t => t.DType != ScalarType.Int64).Select(t => t.DType).Distinct(), Is.EqualTo(new[] { ScalarType.Float16 }));
        Assert.That(tensors.Keys, Does.Contain("model.0.conv.weight").And.Contain("model.22.dfl.conv.weight"));
        Assert.That(tensors["model.22.cv3.0.2.bias"].Shape, Is.EqualTo(new long[] { provenance.Model.NumClasses * provenance.Model.Orientations }));
        Assert.That(provenance.Model.Orientations, Is.EqualTo(1).Or.EqualTo(4));
        Assert.That(provenance.Training.GitCommit, Is.Not.Null.And.Not.Empty);
        Assert.That(provenance.Training.DataFingerprint, Does.StartWith("sha256:"));
        Assert.That(provenance.Training.Epochs, Is.GreaterThan(0));

        Assert.That(PretrainedWeights.IsAvailable, Is.True, "DigitMl.Training embeds the shipped files when they exist at build time");
        Assert.That(PretrainedWeights.ReadBytes(), Is.EqualTo(File.ReadAllBytes(WeightsPath)), "the embedded copy is the repository's file");
        Assert.That(PretrainedWeights.Provenance.Sha256, Is.EqualTo(provenance.Sha256));
    }

    [Test]
    public void InitPretrainedLoadsEveryTensorAndTheModelDetectsDigitsOnGeneratedScenes()
    {
        var provenance = Shipped();
        manual_seed(0);
        using var model = PretrainedWeights.CreateModel(provenance);
        var report = InitialWeights.LoadInto(model, PretrainedWeights.InitName, provenance.Model.Names);
        Assert.That(report.Loaded, Has.Count.EqualTo(model.state_dict().Count), report.ToString());
        model.eval();

        // scenes of test-pool digits, which the pretraining never saw, drawn at the weights' own image size
        var dataset = YoloDataset.Load(TinyScenes.Create(train: 1, val: 1, test: 16, imgsz: provenance.Model.ImageSize, seed: 14));
        var scenes = dataset.Split("test");
        var predictions = TrainingPredictor.Predict(model, scenes, provenance.Model.ImageSize, conf: 0.001f, iou: 0.7f, maxDet: 300, dataset.Names);
        var metrics = DetectionEvaluator.Evaluate(scenes.Select(s => s.Objects).ToList(), predictions, dataset.Names);
        Assert.That(metrics.Map50, Is.AtLeast(MinimumMap50),
            $"mAP50 {metrics.Map50:F3} (mAP50-95 {metrics.Map50To95:F3}) on {scenes.Count} generated scenes, {metrics.Instances} digits");

        // at predict's default confidence, most digits are found with their class
        var confident = TrainingPredictor.Predict(model, scenes, provenance.Model.ImageSize, conf: 0.25f, iou: 0.7f, maxDet: 300, dataset.Names);
        int digits = scenes.Sum(s => s.Objects.Count);
        int found = scenes.Select((s, i) => s.Objects.Count(o => confident[i].Any(d => d.ClassId == o.ClassId && d.Box.IoU(o.Box) >= 0.5f))).Sum();
        Assert.That((double)found / digits, Is.AtLeast(MinimumMap50), $"{found} of {digits} digits found with their class at confidence 0.25");
    }

    [Test]
    public void InfoInitPretrainedPrintsTheProvenance()
    {
        var provenance = Shipped();
        var (code, output, _) = CliInProcess.Run("info", "--init", "pretrained");
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain($"sha256 {provenance.Sha256}")
            .And.Contain($"experiment {provenance.Training.Experiment} {provenance.Training.Version}, {provenance.Training.Epochs} epochs")
            .And.Contain(provenance.Training.GitCommit!)
            .And.Contain("robustness:"));
    }

    [Test]
    public void AnExperimentWithInitPretrainedStartsItsTrialFromTheShippedWeights()
    {
        var provenance = Shipped();
        using var temp = new Experiments.TempFolder();
        var store = new ArtifactStore(temp.Path);
        var definition = ExperimentDefinition.Create("finetune").WithData(TinyScenes.Create(train: 4, val: 2, test: 2, imgsz: provenance.Model.ImageSize))
            .Fix("scale", provenance.Model.Scale).Fix("imgsz", provenance.Model.ImageSize).Fix("epochs", 1).Fix("batch", 4).Fix("workers", 0)
            .Fix("warmup_epochs", 0).Fix("close_mosaic", 0).Fix("init", "pretrained");
        var summary = new SweepRunner(store, new YoloTrialExecutor()).Run(definition, new SweepRunOptions());
        Assert.That(summary.Trials.Single().Status, Is.EqualTo("ok"), summary.Trials.Single().Reason);

        string version = store.Versions("finetune").Single();
        Assert.That(JsonFiles.Text(JsonFiles.ReadObject(Path.Combine(version, TrialConfig.FileName)), "init_resolved"), Is.EqualTo("pretrained"));
        string report = File.ReadAllText(Path.Combine(version, TrainingFiles.InitReport));
        Assert.That(report, Does.StartWith(PretrainedWeights.Describe(provenance)));
        // a plain trial from turn-aware weights takes their upright class rows; everything else loads as it is
        Assert.That(report, Does.Contain("re-initialised 0, missing 0, unexpected 0"));
        Assert.That(report, Does.Contain(provenance.Model.Orientations == 1 ? "loaded 355, skipped 0" : "loaded 349, adapted 6"));
    }
}
