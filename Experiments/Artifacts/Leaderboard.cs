using System.Globalization;
using System.Text;

namespace DigitMl.Experiments.Artifacts;

/// <summary>
/// leaderboard.csv (one row per version, best first, failed and pruned versions last with their reason)
/// and the <c>best</c> pointer. Rebuilt from the version folders under the experiment lock, written with
/// temp + rename, so concurrent sweeps never lose a row and readers never see a partial file.
/// </summary>
public static class Leaderboard
{
    public static readonly string[] Columns =
    [
        "rank", "version", "status", "trial", "score", "fitness", "map50", "map50_95", "precision", "recall", "f1",
        "test_map50", "test_map50_95", "epochs", "trial_s", "img_per_s", "hyperparameters", "reason",
    ];

    public static IReadOnlyList<VersionSummary> Load(ArtifactStore store, string experiment) =>
        store.Versions(experiment).Select(VersionSummary.Load).ToList();

    /// <summary>Succeeded versions by descending score (ties: older first), then pruned, then failed, each by version.</summary>
    public static IReadOnlyList<VersionSummary> Rank(IEnumerable<VersionSummary> versions, string rankMetric) =>
        versions
            .OrderBy(v => v.Status switch { TrialStatus.Succeeded => 0, TrialStatus.Pruned => 1, _ => 2 })
            .ThenByDescending(v => v.Score(rankMetric) ?? double.NegativeInfinity)
            .ThenBy(v => v.Version, StringComparer.Ordinal)
            .ToList();

    /// <summary>Rewrites leaderboard.csv and best; returns the best version's folder name (null if none succeeded).</summary>
    public static string? Update(ArtifactStore store, string experiment, string rankMetric)
    {
        using var _ = store.LockExperiment(experiment);
        var ranked = Rank(Load(store, experiment), rankMetric);
        AtomicFile.WriteAllText(store.LeaderboardPath(experiment), ToCsv(ranked, rankMetric));
        var best = ranked.FirstOrDefault(v => v.Status == TrialStatus.Succeeded && v.Val is not null);
        if (best is not null) AtomicFile.WriteAllText(store.BestPointerPath(experiment), best.Version + "\n");
        return best?.Version;
    }

    /// <summary>The hyperparameters whose values differ between the given versions, in registry order.</summary>
    public static IReadOnlyList<string> DifferingHyperparameters(IReadOnlyList<VersionSummary> versions)
    {
        var keys = versions.SelectMany(v => v.Hyperparameters.Select(kv => kv.Key)).Distinct().ToList();
        return keys.Where(key => versions.Select(v => Value(v, key)).Distinct().Skip(1).Any()).ToList();
    }

    public static string Value(VersionSummary version, string key) =>
        version.Hyperparameters.FirstOrDefault(kv => kv.Key == key).Value ?? "";

    public static string ToCsv(IReadOnlyList<VersionSummary> ranked, string rankMetric)
    {
        var differing = DifferingHyperparameters(ranked);
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', Columns).Replace("score", $"score_{rankMetric}", StringComparison.Ordinal));
        int rank = 0;
        foreach (var v in ranked)
        {
            bool ok = v.Status == TrialStatus.Succeeded && v.Val is not null;
            var cells = new[]
            {
                ok ? (++rank).ToString(CultureInfo.InvariantCulture) : "",
                v.Version,
                TrialOutcome.StatusText(v.Status),
                v.Trial,
                Number(v.Score(rankMetric)),
                Number(v.Val?.Fitness),
                Number(v.Val?.Map50),
                Number(v.Val?.Map50To95),
                Number(v.Val?.Precision),
                Number(v.Val?.Recall),
                Number(v.Val?.F1),
                Number(v.Test?.Map50),
                Number(v.Test?.Map50To95),
                v.EpochsRun.ToString(CultureInfo.InvariantCulture),
                v.TrainSeconds.ToString("0.0", CultureInfo.InvariantCulture),
                v.ImagesPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                string.Join(' ', differing.Select(key => $"{key}={Value(v, key)}")),
                v.Reason ?? "",
            };
            csv.AppendLine(string.Join(',', cells.Select(Escape)));
        }

        return csv.ToString();
    }

    private static string Number(double? value) => value?.ToString("0.00000", CultureInfo.InvariantCulture) ?? "";

    internal static string Escape(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
