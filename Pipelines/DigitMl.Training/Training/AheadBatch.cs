using System.Runtime.ExceptionServices;
using DigitMl.Training.Augmentation;

namespace DigitMl.Training;

/// <summary>
/// The images of one batch built ahead by a background thread and the thread that takes the batch together: each
/// claims the next position until none is left, so what the background thread has not reached is built by the taker.
/// Positions are claimed one image at a time, so a pause takes effect after the image in hand.
/// </summary>
internal sealed class AheadBatch : IDisposable
{
    private readonly AugmentedImage[] _images;
    private readonly Func<int, AugmentedImage> _create;
    private readonly ManualResetEventSlim _running = new(initialState: true);
    private readonly Task _worker;
    private int _next;
    private bool _finished;

    public AheadBatch(int index, int count, Func<int, AugmentedImage> create)
    {
        Index = index;
        _images = new AugmentedImage[count];
        _create = create;
        // its own thread (not the pool's): it waits out every pause of the batch
        _worker = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public int Index { get; }

    public void Pause() => _running.Reset();

    public void Resume() => _running.Set();

    /// <summary>Builds the images still unclaimed on this thread, waits for the background thread's and returns them all in order.</summary>
    public AugmentedImage[] Finish()
    {
        _running.Set();
        Exception? failure = null;
        try
        {
            BuildRemaining();
        }
        catch (Exception e)
        {
            failure = e;
        }
        try
        {
            _worker.GetAwaiter().GetResult();
        }
        catch (Exception e) when (failure is null)
        {
            failure = e;
        }
        _running.Dispose();
        _finished = true;
        if (failure is not null) ExceptionDispatchInfo.Capture(failure).Throw();
        return _images;
    }

    /// <summary>Unless finished: stops building (no new image is started) and waits for the background thread, whose failure no longer matters.</summary>
    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        Interlocked.Exchange(ref _next, _images.Length);
        _running.Set();
        try
        {
            _worker.Wait();
        }
        catch (AggregateException)
        {
            // a batch that is no longer wanted
        }
        _running.Dispose();
    }

    private void Work()
    {
        while (true)
        {
            _running.Wait();
            if (!TryBuildNext()) return;
        }
    }

    private void BuildRemaining()
    {
        while (TryBuildNext())
        {
        }
    }

    private bool TryBuildNext()
    {
        int i = Interlocked.Increment(ref _next) - 1;
        if (i >= _images.Length) return false;
        _images[i] = _create(i);
        return true;
    }
}
