using System.Diagnostics;
using DigitMl.Training.Native;
using TorchSharp;

namespace DigitMl.Training.Threading;

/// <summary>
/// libtorch's thread count for one training run: the <c>threads</c> setting, or (0) the cores this process may
/// use (<see cref="CpuBudget"/>). With a <see cref="CoreShare"/> folder (the CLI's jobs) the count is also split
/// with the other training jobs of that folder and kept to the cores other processes leave free
/// (<see cref="CpuLoad"/>), both looked at again every few seconds. The count the process had before is restored
/// at the end.
/// </summary>
internal sealed class TrainingThreads : IDisposable
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);
    private readonly int _requested;
    private readonly CoreShare? _share;
    private readonly int _before;
    private readonly CpuLoad? _load;
    private long _lastCheck;
    private int _free;
    private double? _othersBusy;

    public TrainingThreads(int requested, string? shareDirectory)
    {
        _requested = requested;
        _before = torch.get_num_threads();
        Cores = CpuBudget.AvailableCores;
        _share = shareDirectory is null ? null : CoreShare.Join(shareDirectory, Cores);
        _load = _share is not null && requested <= 0 ? CpuLoad.Start() : null;
        _free = Cores;
        _lastCheck = Stopwatch.GetTimestamp();
        Apply();
    }

    /// <summary>Cores this process may use.</summary>
    public int Cores { get; }

    /// <summary>Threads libtorch uses now.</summary>
    public int Current { get; private set; }

    /// <summary>Training jobs sharing the cores at the last look (1 without a share).</summary>
    public int Jobs => _share?.Jobs ?? 1;

    /// <summary>What is in use, for the log: "2 libtorch threads (2 cores)" or "... shared by 2 training jobs".</summary>
    public string Describe() =>
        $"{Current} libtorch thread{(Current == 1 ? "" : "s")} ({Cores} core{(Cores == 1 ? "" : "s")}{(Jobs > 1 ? $" shared by {Jobs} training jobs" : "")}"
        + $"{(_free < Cores ? $", {Cores - _free} kept busy by other processes" : "")}{(_requested > 0 ? ", set by threads" : "")})";

    /// <summary>Looks at the share again when <see cref="CheckInterval"/> has passed (or at once: <paramref name="now"/>); true when the share changed.</summary>
    public bool Check(bool now = false)
    {
        if (_share is null || (!now && Stopwatch.GetElapsedTime(_lastCheck) < CheckInterval)) return false;
        _lastCheck = Stopwatch.GetTimestamp();
        int jobs = _share.Jobs;
        _share.Refresh();
        if (_load?.OthersBusyCores() is { } busy)
        {
            // averaged over the looks, so that a short burst of other work does not resize the pool back and forth
            _othersBusy = _othersBusy is { } previous ? (previous + busy) / 2 : busy;
            _free = CpuLoad.FreeCores(Cores, _othersBusy.Value);
        }
        return Apply() || jobs != _share.Jobs;
    }

    private bool Apply()
    {
        int threads = _requested > 0 ? _requested : Math.Min(_share?.Threads ?? Cores, _free);
        if (threads == Current) return false;
        torch.set_num_threads(threads);
        Current = threads;
        return true;
    }

    public void Dispose()
    {
        _share?.Dispose();
        if (_before > 0) torch.set_num_threads(_before);
    }
}
