using DigitMl.Experiments.Sweeps;
using Spectre.Console;

namespace DigitMl.Experiments.Display;

/// <summary>Three live bars: trials of the sweep, epochs of the current trial, batches of the current epoch.</summary>
public sealed class LiveSweepObserver(ProgressContext context) : ISweepObserver
{
    private ProgressTask? _trials;
    private ProgressTask? _epochs;
    private ProgressTask? _batches;
    private string _lastValidation = "";

    public void SweepStarted(SweepState state, bool resumed)
    {
        _trials = context.AddTask(Markup.Escape($"sweep {state.Experiment}"), maxValue: state.Trials.Count);
        _trials.Value = state.Trials.Count(t => t.IsDone);
    }

    public void TrialStarted(SweepTrialState trial, int position, int count, int epochs, bool resumed)
    {
        _trials!.Description = Markup.Escape($"trial {position}/{count} {trial.VersionName} {trial.Description}");
        _epochs?.StopTask();
        _batches?.StopTask();
        _epochs = context.AddTask(Markup.Escape($"  {trial.Name} epochs"), maxValue: epochs);
        _batches = context.AddTask("    batches", maxValue: 1);
        _lastValidation = "";
    }

    public void TrialProgress(SweepTrialState trial, TrialProgress progress)
    {
        switch (progress.Kind)
        {
            case TrialProgressKind.Batch:
                if (_batches is null) return;
                _batches.MaxValue = Math.Max(1, progress.Batches);
                _batches.Value = progress.Batch;
                _batches.Description = Markup.Escape($"    epoch {progress.Epoch}/{progress.Epochs} batch {progress.Batch}/{progress.Batches}  {ProgressText.Join(ProgressText.Losses(progress), ProgressText.Speed(progress))}");
                break;
            case TrialProgressKind.Epoch:
                if (_epochs is null) return;
                _epochs.Value = progress.Epoch;
                _lastValidation = ProgressText.Validation(progress);
                _epochs.Description = Markup.Escape($"  {trial.Name} epoch {progress.Epoch}/{progress.Epochs}  {_lastValidation}");
                break;
            case TrialProgressKind.Validating:
            case TrialProgressKind.Phase:
                if (_batches is not null && progress.Phase is { } phase) _batches.Description = Markup.Escape($"    {phase}");
                break;
        }
    }

    public void TrialFinished(SweepTrialState trial)
    {
        if (_trials is not null) _trials.Increment(1);
        if (_epochs is not null)
        {
            _epochs.Description = Markup.Escape($"  {ProgressText.TrialLine(trial)}");
            _epochs.Value = _epochs.MaxValue;
            _epochs.StopTask();
        }

        if (_batches is not null)
        {
            // the bar's last text was the trial's last phase ("exporting ..."): say what the trial left instead
            _batches.Description = Markup.Escape(trial.Status == SweepTrialState.Succeeded
                ? $"    {trial.VersionName}: model.zip model.onnx metrics.json plots/"
                : $"    {trial.Status}");
            _batches.Value = _batches.MaxValue;
            _batches.StopTask();
        }
    }

    public void Message(string text)
    {
        if (_trials is not null) _trials.Description = Markup.Escape(text);
    }
}
