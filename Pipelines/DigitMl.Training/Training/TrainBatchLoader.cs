using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using DigitMl.Training.Augmentation;
using DigitMl.Data;

namespace DigitMl.Training;

/// <summary>
/// Prepares training batches on background threads: the epoch's order is a seeded shuffle, each image is
/// decoded (cached), augmented with a generator seeded by (seed, epoch, position) and letterboxed into the batch.
/// Up to <c>prefetch</c> batches are built ahead of the one being trained, by at most <c>workers</c> threads;
/// batch contents depend only on the seed, epoch and index, never on thread timing.
/// </summary>
public sealed class TrainBatchLoader : IDisposable
{
    private readonly IReadOnlyList<YoloSample> _samples;
    private readonly TrainSampleAugmenter _augmenter;
    private readonly int _batchSize;
    private readonly int _seed;
    private readonly int _prefetch;
    private readonly SemaphoreSlim? _workers;
    private readonly ConcurrentDictionary<int, RgbImage>? _cache;
    private readonly Dictionary<int, Task<TrainBatch>> _pending = [];
    private AheadBatch? _ahead;
    private int[] _order = [];
    private int _epoch;
    private bool _mosaic;

    public TrainBatchLoader(IReadOnlyList<YoloSample> samples, int imageSize, int batchSize, TrainAugmentationOptions augmentation, int seed, int workers, int prefetch, bool cache)
    {
        _samples = samples;
        _batchSize = batchSize;
        _seed = seed;
        _prefetch = workers > 0 ? prefetch : 0;
        _workers = workers > 0 ? new SemaphoreSlim(workers) : null;
        _cache = cache ? new ConcurrentDictionary<int, RgbImage>() : null;
        _augmenter = new TrainSampleAugmenter(samples, imageSize, augmentation, LoadImage);
        ImageSize = imageSize;
    }

    public int ImageSize { get; }

    public int BatchesPerEpoch => (_samples.Count + _batchSize - 1) / _batchSize;

    /// <summary>Starts an epoch: fixes its order and starts preparing the first batches.</summary>
    public void StartEpoch(int epoch, bool mosaic)
    {
        DrainPending();
        _epoch = epoch;
        _mosaic = mosaic;
        _order = [.. Enumerable.Range(0, _samples.Count)];
        new Random(DeterministicSeed.Mix(_seed, epoch, 0x5EED)).Shuffle(_order);
        for (int b = 0; b < Math.Min(_prefetch, BatchesPerEpoch); b++) Schedule(b);
    }

    /// <summary>The batch at <paramref name="index"/> of the current epoch (blocks until it is ready; built on this thread when no worker is).</summary>
    public TrainBatch Take(int index)
    {
        for (int b = index + 1; b <= Math.Min(index + _prefetch, BatchesPerEpoch - 1); b++)
            if (!_pending.ContainsKey(b)) Schedule(b);
        if (_pending.Remove(index, out var task)) return task.GetAwaiter().GetResult();
        if (_ahead is { } ahead && ahead.Index == index)
        {
            _ahead = null;
            return Assemble(ahead.Finish());
        }
        return Build(_epoch, _mosaic, index);
    }

    /// <summary>
    /// Starts building batch <paramref name="index"/> of this epoch on one background thread, image by image, while
    /// it is not paused (<see cref="PauseAhead"/>); <see cref="Take"/> builds what is left on the calling thread and
    /// joins it. For loaders without workers, where the next batch would otherwise be built between two steps:
    /// the trainer calls this while the assigner and the loss run, which leave the other core mostly idle.
    /// Nothing happens with workers, past the epoch's last batch, or while another batch is being built ahead.
    /// </summary>
    public void BuildAhead(int index)
    {
        if (_workers is not null || index >= BatchesPerEpoch || _ahead is not null) return;
        int epoch = _epoch, start = index * _batchSize;
        bool mosaic = _mosaic;
        _ahead = new AheadBatch(index, Math.Min(_batchSize, _samples.Count - start), i => Create(epoch, mosaic, start + i));
    }

    /// <summary>Stops the batch being built ahead from starting another image (while libtorch's threads take every core).</summary>
    public void PauseAhead() => _ahead?.Pause();

    /// <summary>Lets the batch being built ahead go on.</summary>
    public void ResumeAhead() => _ahead?.Resume();

    private void Schedule(int index)
    {
        if (_workers is null || _pending.ContainsKey(index)) return;
        int epoch = _epoch;
        bool mosaic = _mosaic;
        _pending[index] = Task.Run(async () =>
        {
            await _workers.WaitAsync().ConfigureAwait(false);
            try
            {
                return Build(epoch, mosaic, index);
            }
            finally
            {
                _workers.Release();
            }
        });
    }

    /// <summary>Bytes the training images take decoded (RGB, at their sizes in the dataset): what the cache would hold.</summary>
    public static long DecodedBytes(IReadOnlyList<YoloSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return samples.Sum(s => 3L * Math.Max(s.Width, 0) * Math.Max(s.Height, 0));
    }

    /// <summary>
    /// Whether the decoded images fit the cache: at most half of the memory this process may use (the GC's view of
    /// it, which follows a container's limit), so that a large dataset of large photos is decoded per batch instead
    /// of taking the machine's memory.
    /// </summary>
    public static bool CacheFits(IReadOnlyList<YoloSample> samples, long availableBytes) => DecodedBytes(samples) <= availableBytes / 2;

    /// <summary>
    /// Decodes every image into the cache on up to <paramref name="threads"/> threads (nothing without a cache) and
    /// returns how many images the cache holds; a decoding error is thrown as it is (it names the file).
    /// </summary>
    public int Preload(int threads, CancellationToken cancellationToken = default)
    {
        if (_cache is null) return 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken };
        try
        {
            Parallel.For(0, _samples.Count, options, i => LoadImage(i));
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return _cache.Count;
    }

    private TrainBatch Build(int epoch, bool mosaic, int batchIndex)
    {
        int start = batchIndex * _batchSize;
        int count = Math.Min(_batchSize, _samples.Count - start);
        var augmented = new AugmentedImage[count];
        for (int i = 0; i < count; i++) augmented[i] = Create(epoch, mosaic, start + i);
        return Assemble(augmented);
    }

    /// <summary>The augmented image at <paramref name="position"/> of the epoch: a function of the seed, epoch and position alone.</summary>
    private AugmentedImage Create(int epoch, bool mosaic, int position) =>
        _augmenter.Create(_order[position], new Random(DeterministicSeed.Mix(_seed, epoch, position)), mosaic);

    private TrainBatch Assemble(AugmentedImage[] augmented)
    {
        int count = augmented.Length;
        int s = ImageSize, plane = 3 * s * s;
        var pixels = new byte[count * plane];
        for (int i = 0; i < count; i++) augmented[i].Image.Pixels.CopyTo(pixels.AsSpan(i * plane, plane));
        int maxBoxes = augmented.Max(a => a.Objects.Count);
        var targets = new float[count * maxBoxes * 5];
        var mask = new float[count * maxBoxes];
        for (int i = 0; i < count; i++)
        {
            var objects = augmented[i].Objects;
            for (int j = 0; j < objects.Count; j++)
            {
                int t = ((i * maxBoxes) + j) * 5;
                targets[t] = objects[j].ClassId;
                targets[t + 1] = objects[j].Box.X0;
                targets[t + 2] = objects[j].Box.Y0;
                targets[t + 3] = objects[j].Box.X1;
                targets[t + 4] = objects[j].Box.Y1;
                mask[(i * maxBoxes) + j] = 1;
            }
        }
        return new TrainBatch(count, s, maxBoxes, pixels, targets, mask);
    }

    private RgbImage LoadImage(int index)
    {
        if (_cache is null) return SampleImages.Load(_samples[index]);
        return _cache.GetOrAdd(index, i => SampleImages.Load(_samples[i]));
    }

    private void DrainPending()
    {
        if (_ahead is { } ahead)
        {
            _ahead = null;
            ahead.Dispose();
        }
        foreach (var task in _pending.Values)
        {
            try
            {
                task.Wait();
            }
            catch (AggregateException)
            {
                // a batch that is no longer wanted: its failure does not matter
            }
        }
        _pending.Clear();
    }

    public void Dispose()
    {
        DrainPending();
        _workers?.Dispose();
    }
}
