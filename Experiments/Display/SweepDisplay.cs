using DigitMl.Experiments.Sweeps;
using Spectre.Console;

namespace DigitMl.Experiments.Display;

/// <summary>
/// Chooses how a sweep is shown: live Spectre.Console progress bars on an interactive terminal, one plain
/// line per trial step and epoch otherwise (CI logs, redirected output).
/// </summary>
public static class SweepDisplay
{
    public static T Run<T>(IAnsiConsole console, Func<ISweepObserver, T> work)
    {
        if (!console.Profile.Capabilities.Interactive) return work(new PlainSweepObserver(console));
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .Start(context => result = work(new LiveSweepObserver(context)));
        return result;
    }
}
