namespace DigitMl.Experiments.Sweeps;

/// <summary>
/// Runs trials for <see cref="SweepRunner"/>: the seam between the sweep bookkeeping (versions, state,
/// leaderboard) and the work (train, evaluate, plot, export). <see cref="YoloTrialExecutor"/> is the real one.
/// </summary>
public interface ITrialExecutor
{
    /// <summary>
    /// Loads and checks the dataset once per sweep, computing its fingerprint. With <paramref name="skipInvalid"/> the
    /// images with problems are left out and counted in <see cref="PreparedDataset.Skipped"/> (with the report's
    /// path) instead of failing the load.
    /// </summary>
    PreparedDataset Prepare(string dataYamlPath, bool skipInvalid);

    /// <summary>
    /// Trains and evaluates one trial, writing checkpoints, results.csv, metrics.json (val), plots/,
    /// model.onnx and model.zip into <see cref="TrialRequest.Directory"/>. Throws on failure;
    /// throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    TrialRunResult Run(TrialRequest request, IProgress<TrialProgress> progress, CancellationToken cancellationToken);

    /// <summary>Scores a committed version on the test split; returns the metrics.json text of that evaluation.</summary>
    string EvaluateTest(PreparedDataset data, string versionDirectory, CancellationToken cancellationToken);
}
