using System.Globalization;
using DigitMl.Experiments.Sweeps;

namespace DigitMl.Experiments.Display;

/// <summary>The words and numbers both displays print for a trial.</summary>
internal static class ProgressText
{
    public static string Losses(TrialProgress p) =>
        double.IsNaN(p.BoxLoss)
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $"box {p.BoxLoss:0.000} cls {p.ClassLoss:0.000} dfl {p.DflLoss:0.000}");

    public static string Speed(TrialProgress p) =>
        p.ImagesPerSecond > 0 ? string.Create(CultureInfo.InvariantCulture, $"{p.ImagesPerSecond:0.0} img/s") : "";

    public static string Validation(TrialProgress p) =>
        p.Fitness is { } f
            ? string.Create(CultureInfo.InvariantCulture, $"val fitness {f:0.0000} mAP50 {p.Map50 ?? 0:0.0000} mAP50-95 {p.Map50To95 ?? 0:0.0000}")
            : "";

    public static string Duration(TimeSpan time) =>
        time.TotalHours >= 1 ? $"{(int)time.TotalHours}h{time.Minutes:D2}m"
        : time.TotalMinutes >= 1 ? $"{(int)time.TotalMinutes}m{time.Seconds:D2}s"
        : $"{time.TotalSeconds:0}s";

    public static string Join(params string[] parts) => string.Join("  ", parts.Where(p => p.Length > 0));

    public static string TrialLine(SweepTrialState trial) =>
        trial.Status switch
        {
            SweepTrialState.Succeeded => $"{trial.Name} {trial.VersionName}: ok",
            SweepTrialState.Skipped => $"{trial.Name}: skipped ({trial.Reason})",
            _ => $"{trial.Name} {trial.VersionName}: {trial.Status} ({trial.Reason})",
        } + (trial.FitnessByEpoch is [.., { } last] && trial.Status == SweepTrialState.Succeeded
            ? string.Create(CultureInfo.InvariantCulture, $", last val fitness {last:0.0000}")
            : "");
}
