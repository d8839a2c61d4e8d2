namespace DigitMl.Experiments.Sweeps;

/// <summary>What a sweep tells its display; all calls come from the sweep's thread, in order.</summary>
public interface ISweepObserver
{
    void SweepStarted(SweepState state, bool resumed);

    void TrialStarted(SweepTrialState trial, int position, int count, int epochs, bool resumed);

    void TrialProgress(SweepTrialState trial, TrialProgress progress);

    void TrialFinished(SweepTrialState trial);

    void Message(string text);
}

/// <summary>An observer that shows nothing.</summary>
public sealed class SilentSweepObserver : ISweepObserver
{
    public static SilentSweepObserver Instance { get; } = new();

    public void SweepStarted(SweepState state, bool resumed)
    {
    }

    public void TrialStarted(SweepTrialState trial, int position, int count, int epochs, bool resumed)
    {
    }

    public void TrialProgress(SweepTrialState trial, TrialProgress progress)
    {
    }

    public void TrialFinished(SweepTrialState trial)
    {
    }

    public void Message(string text)
    {
    }
}
