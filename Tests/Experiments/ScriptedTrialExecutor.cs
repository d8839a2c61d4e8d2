using System.Collections.Concurrent;
using System.Globalization;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Sweeps;

namespace DigitMl.Tests.Experiments;

/// <summary>
/// A trial executor without a model: "trains" by reporting batches and epochs, writes last.ckpt after each
/// epoch (a counter, so a resume is visible), and scores a trial as lr0 * 10 capped at 1 (so ranks are
/// known in advance). Exercises the sweep bookkeeping in milliseconds; the real executor is covered by
/// <see cref="SweepEndToEndTests"/>.
/// </summary>
internal sealed class ScriptedTrialExecutor : ITrialExecutor
{
    public ConcurrentQueue<string> Runs { get; } = new();

    public ConcurrentQueue<(string Trial, int FirstEpoch)> Starts { get; } = new();

    public ConcurrentQueue<string?> Inits { get; } = new();

    /// <summary>Trials whose lr0 equals this value throw, as a trainer would on a bad setting.</summary>
    public double? FailWhenLr0 { get; init; }

    public int BatchesPerEpoch { get; init; } = 3;

    public TimeSpan BatchDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Epochs whose batches ran, in order (a resumed trial adds only the epochs it trained again).</summary>
    public ConcurrentQueue<(string Trial, int Epoch)> TrainedEpochs { get; } = new();

    /// <summary>
    /// Called at the moments a real trial passes through, with the trial and its epoch: <see cref="KillPoint.Batch"/> after
    /// each batch, <see cref="KillPoint.Validating"/> after an epoch's batches (before its checkpoint),
    /// <see cref="KillPoint.Checkpointed"/> after last.ckpt is written (before the epoch is reported),
    /// <see cref="KillPoint.Exporting"/> after metrics.json (before model.onnx and model.zip), <see cref="KillPoint.Testing"/>
    /// while the winner is scored on the test split. A test copies the artifacts there to see what a kill leaves.
    /// </summary>
    public Action<KillPoint, string, int>? At { get; init; }

    /// <summary>What Prepare reports as skipped when asked to skip invalid images (null: the dataset has no problems).</summary>
    public SkippedData? SkippedWhenAsked { get; init; }

    public ConcurrentQueue<bool> PreparedWithSkip { get; } = new();

    public PreparedDataset Prepare(string dataYamlPath, bool skipInvalid)
    {
        PreparedWithSkip.Enqueue(skipInvalid);
        if (SkippedWhenAsked is { } skipped && !skipInvalid)
            throw new DigitMl.Data.DatasetValidationException(dataYamlPath, [new DigitMl.Data.DatasetProblem("labels/train/bad.txt", 2, "expected 5 values, got 4", "train")]);
        return new(new DatasetDescription(dataYamlPath, "sha256:scripted", ["0", "1"], 4, 2, 2) { Skipped = skipInvalid ? SkippedWhenAsked : null }, HasTestSplit: true);
    }

    public TrialRunResult Run(TrialRequest request, IProgress<TrialProgress> progress, CancellationToken cancellationToken)
    {
        Runs.Enqueue(request.TrialName);
        Inits.Enqueue(request.InitWeights);
        var checkpoint = Path.Combine(request.Directory, "last.ckpt");
        int firstEpoch = request.Resume ? int.Parse(File.ReadAllText(checkpoint), CultureInfo.InvariantCulture) + 1 : 1;
        Starts.Enqueue((request.TrialName, firstEpoch));
        if (FailWhenLr0 is { } bad && Math.Abs(request.Settings.Trainer.Lr0 - bad) < 1e-12)
            throw new TrialFailedException($"NaN loss at epoch {firstEpoch}");
        double score = Math.Min(1, request.Settings.Trainer.Lr0 * 10);
        int epochs = request.Settings.Trainer.Epochs;
        for (int epoch = firstEpoch; epoch <= epochs; epoch++)
        {
            for (int batch = 1; batch <= BatchesPerEpoch; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (BatchDelay > TimeSpan.Zero) Thread.Sleep(BatchDelay);
                progress.Report(new TrialProgress(TrialProgressKind.Batch, epoch, epochs, batch, BatchesPerEpoch, 1.0 / epoch, 0.5, 0.25, 100));
                At?.Invoke(KillPoint.Batch, request.TrialName, epoch);
            }

            TrainedEpochs.Enqueue((request.TrialName, epoch));
            At?.Invoke(KillPoint.Validating, request.TrialName, epoch);
            File.WriteAllText(checkpoint, epoch.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(request.Directory, "best.ckpt"), epoch.ToString(CultureInfo.InvariantCulture));
            At?.Invoke(KillPoint.Checkpointed, request.TrialName, epoch);
            double fitness = score * epoch / epochs;
            progress.Report(new TrialProgress(TrialProgressKind.Epoch, epoch, epochs, Fitness: fitness, Map50: fitness, Map50To95: fitness));
            if (request.FinishEarly.IsCancellationRequested) return Finish(request, score, epoch);
        }

        return Finish(request, score, epochs);
    }

    private TrialRunResult Finish(TrialRequest request, double score, int epochs)
    {
        File.WriteAllText(Path.Combine(request.Directory, MetricsFile.FileName), MetricsJson(score));
        File.WriteAllText(Path.Combine(request.Directory, "results.csv"), "epoch\n1\n");
        At?.Invoke(KillPoint.Exporting, request.TrialName, epochs);
        File.WriteAllText(Path.Combine(request.Directory, "model.onnx"), "onnx");
        File.WriteAllText(Path.Combine(request.Directory, "model.zip"), "zip");
        // a trial resumed after its last epoch trained nothing in this process: its rate is unknown
        double imagesPerSecond = TrainedEpochs.Any(e => e.Trial == request.TrialName) ? 100 : double.NaN;
        return new TrialRunResult(new MetricSummary(score, score, score, score, score, 2, 3), epochs, epochs, imagesPerSecond);
    }

    public string EvaluateTest(PreparedDataset data, string versionDirectory, CancellationToken cancellationToken)
    {
        At?.Invoke(KillPoint.Testing, Path.GetFileName(versionDirectory), 0);
        return MetricsJson(0.42);
    }

    private static string MetricsJson(double score) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"map50": {{score}}, "map50_95": {{score}}, "precision": {{score}}, "recall": {{score}}, "f1": {{score}}, "conf_at_best_f1": 0.3, "images": 2, "instances": 3, "per_class": []}""");
}

/// <summary>Where <see cref="ScriptedTrialExecutor.At"/> is called.</summary>
public enum KillPoint
{
    Batch,
    Validating,
    Checkpointed,
    Exporting,
    Testing,
}
