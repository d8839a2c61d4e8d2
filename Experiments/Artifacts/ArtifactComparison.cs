using Microsoft.Data.Analysis;

namespace DigitMl.Experiments.Artifacts;

/// <summary>
/// All versions of one or more experiments as a Microsoft.Data.Analysis DataFrame: status, validation and
/// test metrics, cost, and the hyperparameters whose values differ between the versions compared.
/// </summary>
public sealed class ArtifactComparison
{
    public static readonly string[] MetricColumns = ["fitness", "map50", "map50_95", "precision", "recall", "f1", "test_map50", "test_map50_95"];

    private ArtifactComparison(DataFrame frame, IReadOnlyList<VersionSummary> versions, IReadOnlyList<string> differing)
    {
        Frame = frame;
        Versions = versions;
        DifferingHyperparameters = differing;
    }

    public DataFrame Frame { get; }

    /// <summary>The versions in the frame's row order.</summary>
    public IReadOnlyList<VersionSummary> Versions { get; }

    public IReadOnlyList<string> DifferingHyperparameters { get; }

    /// <summary>Loads the versions of <paramref name="experiment"/> (or of every experiment when null) and sorts by <paramref name="sortBy"/>.</summary>
    public static ArtifactComparison Load(ArtifactStore store, string? experiment, string sortBy = "fitness")
    {
        var experiments = experiment is null ? store.Experiments() : [experiment];
        var rows = experiments.SelectMany(e => Leaderboard.Load(store, e).Select(v => (Experiment: e, Version: v))).ToList();
        if (rows.Count == 0)
            throw new InvalidOperationException(experiment is null
                ? $"no versions under {store.Root}; run `sweep` or `train` first"
                : $"experiment '{experiment}' has no versions under {store.Root}");

        var sort = NormalizeSort(sortBy);
        bool descending = sort is not ("version" or "experiment");
        var ordered = rows
            .OrderBy(r => r.Version.Status == TrialStatus.Succeeded ? 0 : 1)
            .ThenBy(r => descending ? -(SortValue(r.Version, sort) ?? double.NegativeInfinity) : 0)
            .ThenBy(r => r.Experiment, StringComparer.Ordinal)
            .ThenBy(r => r.Version.Version, StringComparer.Ordinal)
            .ToList();
        var versions = ordered.Select(r => r.Version).ToList();
        var differing = Leaderboard.DifferingHyperparameters(versions);

        var frame = new DataFrame();
        if (experiments.Count > 1) frame.Columns.Add(new StringDataFrameColumn("experiment", ordered.Select(r => r.Experiment)));
        frame.Columns.Add(new StringDataFrameColumn("version", versions.Select(v => v.Version)));
        frame.Columns.Add(new StringDataFrameColumn("status", versions.Select(v => TrialOutcome.StatusText(v.Status))));
        foreach (var metric in MetricColumns)
            frame.Columns.Add(new DoubleDataFrameColumn(metric, versions.Select(v => SortValue(v, metric))));
        frame.Columns.Add(new Int32DataFrameColumn("epochs_run", versions.Select(v => (int?)v.EpochsRun)));
        frame.Columns.Add(new DoubleDataFrameColumn("trial_s", versions.Select(v => (double?)Math.Round(v.TrainSeconds, 1))));
        foreach (var key in differing)
            frame.Columns.Add(new StringDataFrameColumn(key, versions.Select(v => Leaderboard.Value(v, key))));
        frame.Columns.Add(new StringDataFrameColumn("reason", versions.Select(v => v.Reason ?? "")));
        return new ArtifactComparison(frame, versions, differing);
    }

    public static string NormalizeSort(string sortBy)
    {
        var key = sortBy.Trim().ToLowerInvariant().Replace('-', '_');
        key = key is "map" or "map5095" ? "map50_95" : key;
        return MetricColumns.Contains(key) || key is "version" or "experiment" or "epochs_run" or "trial_s"
            ? key
            : throw new ArgumentException($"cannot sort by '{sortBy}'; use one of {string.Join(", ", MetricColumns)}, epochs_run, trial_s, version");
    }

    private static double? SortValue(VersionSummary v, string key) => key switch
    {
        "test_map50" => v.Test?.Map50,
        "test_map50_95" => v.Test?.Map50To95,
        "epochs_run" => v.EpochsRun,
        "trial_s" => v.TrainSeconds,
        "version" or "experiment" => null,
        _ => v.Status == TrialStatus.Succeeded ? v.Val?.Get(key) : null,
    };
}
