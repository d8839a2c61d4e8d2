using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Definitions;
using DigitMl.Experiments.Display;
using Spectre.Console;

namespace DigitMl.Experiments.Sweeps;

/// <summary>
/// What `sweep` and `train` share: Ctrl+C wiring, the progress display, the run and the summary. One
/// trial of `train` goes through exactly the code path of a sweep trial.
/// </summary>
public static class SweepSession
{
    public const int CancelledExitCode = 130;

    public static int Run(IAnsiConsole console, ArtifactStore store, ITrialExecutor executor, ExperimentDefinition definition, SweepRunOptions options, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
        {
            // first Ctrl+C: stop cleanly after the current batch; a second one ends the process
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            cancel.Cancel();
        }

        if (!console.Profile.Capabilities.Interactive) console.Profile.Width = Math.Max(console.Profile.Width, 160); // logs: wide tables, no wrapping
        Console.CancelKeyPress += OnCancelKey;
        try
        {
            var summary = SweepDisplay.Run(console, observer => new SweepRunner(store, executor, observer).Run(definition, options, cancel.Token));
            SweepReport.Write(console, summary);
            return summary.Best is null ? 1 : 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            var experiment = options.ExperimentName ?? definition.Name;
            Console.Error.WriteLine($"cancelled: finished trials are kept; continue with `sweep --resume --experiment {experiment}`" +
                                    (store.Root == Path.GetFullPath("artifacts") ? "" : $" (artifacts in {store.Root})"));
            return CancelledExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKey;
        }
    }
}
