using Spectre.Console;

namespace DigitMl.Experiments.Display;

/// <summary>
/// Progress of a counted job (scenes generated, images written or predicted): one bar of the console's live
/// display on an interactive terminal, a plain line per tenth otherwise (CI logs, redirected output).
/// </summary>
public static class CountedProgress
{
    /// <summary>
    /// Runs <paramref name="work"/>, drawing the reports it makes. <paramref name="count"/> reads done and total out
    /// of a report; <paramref name="describe"/>, when given, replaces the title with a text made from the report.
    /// Reports may come from several threads.
    /// </summary>
    public static T Run<TReport, T>(
        IAnsiConsole console,
        string title,
        Func<TReport, (int Done, int Total)> count,
        Func<IProgress<TReport>, T> work,
        Func<TReport, string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(count);
        ArgumentNullException.ThrowIfNull(work);
        var gate = new object();
        if (!console.Profile.Capabilities.Interactive)
        {
            int lastTenth = -1;
            return work(new Handler<TReport>(report =>
            {
                var (done, total) = count(report);
                int tenth = total == 0 ? 10 : done * 10 / total;
                lock (gate)
                {
                    if (tenth <= lastTenth) return;
                    lastTenth = tenth;
                    // straight to the writer: log lines are not wrapped at the console's assumed width
                    console.Profile.Out.Writer.WriteLine($"{describe?.Invoke(report) ?? title}: {done}/{total}");
                }
            }));
        }

        return LiveProgress.Run(
            console,
            context =>
            {
                // the bar appears with the first report: a job with nothing to do (data already up to date) shows none
                ProgressTask? task = null;
                var result = work(new Handler<TReport>(report =>
                {
                    var (done, total) = count(report);
                    lock (gate)
                    {
                        task ??= context.AddTask(Markup.Escape(title), maxValue: Math.Max(1, total));
                        task.MaxValue = Math.Max(1, total);
                        task.Value = done;
                        if (describe is not null) task.Description = Markup.Escape(describe(report));
                    }
                }));
                lock (gate)
                {
                    if (task is not null)
                    {
                        task.Value = task.MaxValue;
                        task.StopTask();
                    }
                }

                return result;
            },
            progress => progress.AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn()));
    }

    // runs the handler on the reporting thread, unlike Progress<T> (which posts to the thread pool)
    private sealed class Handler<TReport>(Action<TReport> handler) : IProgress<TReport>
    {
        public void Report(TReport value) => handler(value);
    }
}
