using System.Runtime.CompilerServices;
using Spectre.Console;

namespace DigitMl.Experiments.Display;

/// <summary>
/// The one live progress display of a console. Spectre.Console allows a single live display per console at a
/// time: a second one started while the first is drawing fails with "Trying to run one or more interactive
/// functions concurrently". Every command starts its bars here, and work that draws progress while another
/// display is already running on the same console (the default dataset generated inside `sweep` or `train`)
/// adds its bars to that display instead of starting its own.
/// </summary>
public static class LiveProgress
{
    private static readonly ConditionalWeakTable<IAnsiConsole, ProgressContext> Running = new();

    /// <summary>True while a live display of this class is drawing on <paramref name="console"/>.</summary>
    public static bool IsRunning(IAnsiConsole console) => Running.TryGetValue(console, out _);

    /// <summary>
    /// Runs <paramref name="work"/> with the console's live display: the running one when there is one (then
    /// <paramref name="configure"/> is not used), otherwise a new one configured by <paramref name="configure"/>
    /// that ends when the work returns.
    /// </summary>
    public static T Run<T>(IAnsiConsole console, Func<ProgressContext, T> work, Func<Progress, Progress>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(work);
        if (Running.TryGetValue(console, out var running)) return work(running);
        var progress = configure?.Invoke(console.Progress()) ?? console.Progress();
        return progress.Start(context =>
        {
            Running.AddOrUpdate(console, context);
            try
            {
                return work(context);
            }
            finally
            {
                Running.Remove(console);
            }
        });
    }
}
