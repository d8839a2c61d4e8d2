using System.Diagnostics;
using DigitMl.Experiments.Sweeps;
using Spectre.Console;

namespace DigitMl.Experiments.Display;

/// <summary>Plain progress lines for logs: one per trial start/end and one per epoch (with ETA).</summary>
public sealed class PlainSweepObserver(IAnsiConsole console) : ISweepObserver
{
    private readonly Stopwatch _epochClock = new();
    private TrialProgress? _lastBatch;
    private int _firstEpoch;
    private readonly Stopwatch _trialClock = new();

    public void SweepStarted(SweepState state, bool resumed)
    {
        var done = state.Trials.Count(t => t.IsDone);
        WriteLine($"sweep {state.Experiment} {state.Id}{(resumed ? " (resumed)" : "")}: {state.Trials.Count} trials ({done} done), {state.Strategy}, ranked by val {state.RankMetric}");
        WriteLine($"data {state.DataYaml} ({state.DataFingerprint})");
    }

    public void TrialStarted(SweepTrialState trial, int position, int count, int epochs, bool resumed)
    {
        _epochClock.Restart();
        _trialClock.Restart();
        _firstEpoch = 0;
        WriteLine($"[{trial.Name} {position}/{count}] {trial.VersionName} {trial.Description}: {(resumed ? "resuming from last.ckpt" : $"training {epochs} epochs")}");
    }

    public void TrialProgress(SweepTrialState trial, TrialProgress progress)
    {
        switch (progress.Kind)
        {
            case TrialProgressKind.Batch:
                _lastBatch = progress;
                if (_firstEpoch == 0) _firstEpoch = progress.Epoch;
                break;
            case TrialProgressKind.Epoch:
                if (_firstEpoch == 0) _firstEpoch = progress.Epoch;
                int epochsDone = progress.Epoch - _firstEpoch + 1;
                var perEpoch = _trialClock.Elapsed / Math.Max(1, epochsDone);
                var eta = perEpoch * (progress.Epochs - progress.Epoch);
                var batch = _lastBatch is { Epoch: var e } && e == progress.Epoch ? _lastBatch : null;
                WriteLine($"[{trial.Name}] epoch {progress.Epoch}/{progress.Epochs}  " + ProgressText.Join(
                    batch is null ? "" : ProgressText.Losses(batch),
                    batch is null ? "" : ProgressText.Speed(batch),
                    ProgressText.Validation(progress),
                    $"{ProgressText.Duration(_epochClock.Elapsed)}/epoch",
                    $"eta {ProgressText.Duration(eta)}"));
                _epochClock.Restart();
                break;
            case TrialProgressKind.Phase:
                if (progress.Phase is { } phase) WriteLine($"[{trial.Name}] {phase}");
                break;
            default:
                // validation is reported with the epoch line that follows it
                break;
        }
    }

    public void TrialFinished(SweepTrialState trial) => WriteLine($"[{ProgressText.TrialLine(trial)}]");

    public void Message(string text) => WriteLine(text);

    /// <summary>Straight to the output writer: log lines are not wrapped at the console's assumed 80 columns.</summary>
    private void WriteLine(string text) => console.Profile.Out.Writer.WriteLine(text);
}
