using System.Text.Json.Nodes;

namespace DigitMl.Experiments.Artifacts;

/// <summary>trial.json of a version: how the trial ended (status, reason) and what it cost.</summary>
public sealed record TrialOutcome(
    TrialStatus Status,
    string? Reason,
    int EpochsRun,
    int? BestEpoch,
    double TrainSeconds,
    double ImagesPerSecond,
    DateTime StartedUtc,
    DateTime FinishedUtc)
{
    public const string FileName = "trial.json";

    public static string StatusText(TrialStatus status) => status switch
    {
        TrialStatus.Succeeded => "ok",
        TrialStatus.Failed => "failed",
        _ => "pruned",
    };

    public void Write(string directory) => JsonFiles.Write(Path.Combine(directory, FileName), new JsonObject
    {
        ["status"] = StatusText(Status),
        ["reason"] = Reason,
        ["epochs_run"] = EpochsRun,
        ["best_epoch"] = BestEpoch,
        ["train_seconds"] = Math.Round(TrainSeconds, 2),
        // unknown (null) when no epoch was timed in this process
        ["images_per_second"] = JsonFiles.FiniteOrNull(Math.Round(ImagesPerSecond, 2)),
        ["started_utc"] = StartedUtc.ToString("O"),
        ["finished_utc"] = FinishedUtc.ToString("O"),
    });

    public static TrialOutcome? Read(string directory)
    {
        var json = JsonFiles.ReadObject(Path.Combine(directory, FileName));
        if (json is null) return null;
        var status = JsonFiles.Text(json, "status") switch
        {
            "ok" => TrialStatus.Succeeded,
            "pruned" => TrialStatus.Pruned,
            _ => TrialStatus.Failed,
        };
        return new TrialOutcome(
            status,
            JsonFiles.Text(json, "reason"),
            (int)(JsonFiles.Number(json, "epochs_run") ?? 0),
            JsonFiles.Number(json, "best_epoch") is { } best ? (int)best : null,
            JsonFiles.Number(json, "train_seconds") ?? 0,
            JsonFiles.Number(json, "images_per_second") ?? 0,
            DateTime.TryParse(JsonFiles.Text(json, "started_utc"), null, System.Globalization.DateTimeStyles.RoundtripKind, out var s) ? s : default,
            DateTime.TryParse(JsonFiles.Text(json, "finished_utc"), null, System.Globalization.DateTimeStyles.RoundtripKind, out var f) ? f : default);
    }
}
