using DigitMl.Experiments.Sweeps;
using Spectre.Console;

namespace DigitMl.Experiments.Display;

/// <summary>
/// Chooses how a sweep is shown: live Spectre.Console progress bars on an interactive terminal, one plain
/// line per trial step and epoch otherwise (CI logs, redirected output). The bars are the console's one
/// <see cref="LiveProgress"/> display, so work inside the sweep that draws progress of its own joins it.
/// </summary>
public static class SweepDisplay
{
    public static T Run<T>(IAnsiConsole console, Func<ISweepObserver, T> work)
    {
        if (!console.Profile.Capabilities.Interactive) return work(new PlainSweepObserver(console));
        return LiveProgress.Run(
            console,
            context => work(new LiveSweepObserver(context)),
            progress => progress
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(
                    new TaskDescriptionColumn { Alignment = Justify.Left },
                    new ProgressBarColumn(),
                    new PercentageColumn(),
                    new ElapsedTimeColumn(),
                    new RemainingTimeColumn(),
                    new SpinnerColumn()));
    }
}
