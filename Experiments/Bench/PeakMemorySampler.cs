using System.Diagnostics;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// Samples this process's working set on a background thread while a section runs and keeps the maximum.
/// (Process.PeakWorkingSet64 covers the whole process life; sampling separates training from inference.)
/// </summary>
public sealed class PeakMemorySampler : IDisposable
{
    private readonly Thread thread;
    private readonly ManualResetEventSlim stop = new();
    private long peakBytes;

    private PeakMemorySampler(TimeSpan interval)
    {
        thread = new Thread(() =>
        {
            using var process = Process.GetCurrentProcess();
            do
            {
                process.Refresh();
                long now = process.WorkingSet64;
                if (now > Interlocked.Read(ref peakBytes)) Interlocked.Exchange(ref peakBytes, now);
            }
            while (!stop.Wait(interval));
        })
        { IsBackground = true, Name = "peak-memory-sampler" };
        thread.Start();
    }

    public static PeakMemorySampler Start(TimeSpan? interval = null) => new(interval ?? TimeSpan.FromMilliseconds(20));

    /// <summary>Largest working set seen so far, in MiB.</summary>
    public double PeakMiB => Interlocked.Read(ref peakBytes) / (1024.0 * 1024.0);

    public void Dispose()
    {
        stop.Set();
        thread.Join();
        stop.Dispose();
    }
}
