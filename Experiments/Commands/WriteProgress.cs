using DigitMl.Augmentation.Rotation;
using Spectre.Console;

namespace DigitMl.Experiments.Commands;

/// <summary>Draws <see cref="DatasetWriteProgress"/>: a Spectre progress bar on a terminal, a line per tenth otherwise.</summary>
internal static class WriteProgress
{
    public static T Run<T>(string title, Func<IProgress<DatasetWriteProgress>, T> work)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            return AnsiConsole.Progress().AutoClear(true).Start(ctx =>
            {
                var task = ctx.AddTask(title, autoStart: true, maxValue: 1);
                return work(new Handler(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                }));
            });
        }
        int lastTenth = -1;
        var gate = new object();
        return work(new Handler(p =>
        {
            lock (gate)
            {
                int tenth = p.Total == 0 ? 10 : p.Done * 10 / p.Total;
                if (tenth <= lastTenth) return;
                lastTenth = tenth;
                Console.WriteLine($"{title}: {p.Done}/{p.Total}");
            }
        }));
    }

    // runs on the reporting thread (reports come from parallel workers), unlike Progress<T>
    private sealed class Handler(Action<DatasetWriteProgress> handler) : IProgress<DatasetWriteProgress>
    {
        public void Report(DatasetWriteProgress value) => handler(value);
    }
}
