using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Definitions;
using DigitMl.Experiments.Sweeps;
using DigitMl.Scoring;
using DigitMl.Tests.TestData;
using Microsoft.ML;

namespace DigitMl.Tests.Experiments;

/// <summary>Real trials (tiny model, 64 px, 1-2 epochs on a few generated scenes): train, evaluate, plot, export, resume.</summary>
public sealed class SweepEndToEndTests
{
    private static ExperimentDefinition Tiny(string dataYaml, int epochs = 1) =>
        ExperimentDefinition.Create("tiny").WithData(dataYaml)
            .Fix("scale", "tiny").Fix("imgsz", 64).Fix("epochs", epochs).Fix("batch", 4).Fix("workers", 0)
            .Fix("warmup_epochs", 0).Fix("close_mosaic", 0).Fix("optimizer", "SGD")
            .Search("lr0", 0.01, 0.02);

    [Test]
    public void ATwoTrialSweepLeavesTwoCompleteVersionsALeaderboardAndABestPointer()
    {
        using var temp = new TempFolder();
        var store = new ArtifactStore(temp.Path);
        var data = TinyScenes.Create(train: 8, val: 4, test: 4);

        var summary = new SweepRunner(store, new YoloTrialExecutor()).Run(Tiny(data), new SweepRunOptions());

        Assert.That(summary.Trials.Select(t => t.Status), Is.EqualTo(new[] { "ok", "ok" }), string.Join("; ", summary.Trials.Select(t => t.Reason)));
        var versions = store.Versions("tiny");
        Assert.That(versions.Select(Path.GetFileName), Is.EqualTo(new[] { "v0001", "v0002" }));
        foreach (var version in versions)
            foreach (var file in new[] { "model.zip", "model.onnx", "best.ckpt", "last.ckpt", "config.json", "metrics.json", "results.csv", "trial.json", "plots/PR_curve.png", "plots/confusion_matrix.png" })
                Assert.That(File.Exists(Path.Combine(version, file)), Is.True, $"{Path.GetFileName(version)}/{file}");
        Assert.That(File.ReadAllLines(store.LeaderboardPath("tiny")), Has.Length.EqualTo(3));
        var best = store.BestVersionDirectory("tiny")!;
        Assert.That(MetricsFile.Read(best).Test, Is.Not.Null, "the winner is scored on the test split");
        // and on the same test images turned by 90/180/270 degrees, one row per rotation and one for all
        var rotations = File.ReadAllLines(Path.Combine(best, YoloTrialExecutor.TestRotationsMarkdown));
        Assert.That(rotations.Skip(2).Select(l => l.Split('|')[1].Trim()), Is.EqualTo(new[] { "0", "90", "180", "270", "all" }));
        Assert.That(rotations.Skip(2).Select(l => int.Parse(l.Split('|')[2].Trim())), Is.EqualTo(new[] { 4, 4, 4, 4, 16 }), "the images of each rotation");
        Assert.That(File.Exists(Path.Combine(best, YoloTrialExecutor.TestRotationsJson)), Is.True);

        var mlContext = new MLContext();
        DetectionScoringChain.Register(mlContext);
        var model = mlContext.Model.Load(Path.Combine(best, "model.zip"), out var schema);
        Assert.That(model, Is.Not.Null);
        Assert.That(schema.GetColumnOrNull("ImagePath"), Is.Not.Null);
        using var detector = DigitDetector.Load(best);
        Assert.That(detector.Names, Has.Count.EqualTo(10));
        Assert.That(() => detector.Detect(Directory.GetFiles(Path.Combine(Path.GetDirectoryName(data)!, "images", "test"))[0]), Throws.Nothing);
    }

    [Test]
    public void ASweepCancelledMidTrialResumesTheInterruptedTrialOnly()
    {
        using var temp = new TempFolder();
        var store = new ArtifactStore(temp.Path);
        var data = TinyScenes.Create(train: 8, val: 4, test: 4);
        var definition = Tiny(data, epochs: 2);
        using var cancel = new CancellationTokenSource();
        var first = new RecordingObserver(cancel, cancelTrial: "t02", cancelEpoch: 2);

        Assert.That(() => new SweepRunner(store, new YoloTrialExecutor(), first).Run(definition, new SweepRunOptions(), cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(store.Versions("tiny").Select(Path.GetFileName), Is.EqualTo(new[] { "v0001" }));

        var second = new RecordingObserver(null, "", 0);
        var summary = new SweepRunner(store, new YoloTrialExecutor(), second).Run(definition, new SweepRunOptions { Resume = true });

        Assert.That(second.Started, Is.EqualTo(new[] { ("t02", true) }), "only t02 runs again, from its last.ckpt");
        Assert.That(second.Epochs, Is.EqualTo(new[] { ("t02", 2) }), "epoch 1 of t02 is not trained twice");
        Assert.That(summary.Trials.Select(t => t.Status), Is.EqualTo(new[] { "ok", "ok" }));
        Assert.That(store.Versions("tiny"), Has.Count.EqualTo(2));
    }

    [Test]
    public void ATrialThatThrowsIsRecordedAsFailedAndTheNextTrialStillRuns()
    {
        using var temp = new TempFolder();
        var store = new ArtifactStore(temp.Path);
        var data = TinyScenes.Create(train: 8, val: 4, test: 4);
        var garbage = Path.Combine(temp.Path, "garbage.ckpt");
        File.WriteAllText(garbage, "not a checkpoint");
        var definition = Tiny(data).Search("init", garbage, "none");

        var summary = new SweepRunner(store, new YoloTrialExecutor()).Run(definition, new SweepRunOptions { EvaluateWinnerOnTest = false });

        var failed = summary.Trials.Where(t => t.Status == "failed").ToList();
        Assert.That(failed, Has.Count.EqualTo(2), "both trials starting from the garbage file fail");
        Assert.That(failed.All(t => t.Description.Contains("init=" + garbage, StringComparison.Ordinal)), Is.True);
        Assert.That(failed[0].Reason, Is.Not.Empty);
        Assert.That(summary.Trials.Count(t => t.Status == "ok"), Is.EqualTo(2));
        var rows = File.ReadAllLines(store.LeaderboardPath("tiny"));
        Assert.That(rows, Has.Length.EqualTo(5));
        Assert.That(rows.Count(r => r.Contains(",failed,", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    private sealed class RecordingObserver(CancellationTokenSource? cancel, string cancelTrial, int cancelEpoch) : ISweepObserver
    {
        public List<(string, bool)> Started { get; } = [];

        public List<(string, int)> Epochs { get; } = [];

        public void SweepStarted(SweepState state, bool resumed)
        {
        }

        public void TrialStarted(SweepTrialState trial, int position, int count, int epochs, bool resumed) => Started.Add((trial.Name, resumed));

        public void TrialProgress(SweepTrialState trial, TrialProgress progress)
        {
            if (progress.Kind == TrialProgressKind.Epoch) Epochs.Add((trial.Name, progress.Epoch));
            if (cancel is not null && trial.Name == cancelTrial && progress.Kind == TrialProgressKind.Batch && progress.Epoch == cancelEpoch) cancel.Cancel();
        }

        public void TrialFinished(SweepTrialState trial)
        {
        }

        public void Message(string text)
        {
        }
    }
}
