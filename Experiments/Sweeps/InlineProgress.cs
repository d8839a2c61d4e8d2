namespace DigitMl.Experiments.Sweeps;

/// <summary>Calls the handler on the reporting thread, in order (System.Progress would post to the thread pool).</summary>
public sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
