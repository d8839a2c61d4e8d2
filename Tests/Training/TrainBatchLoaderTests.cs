using DigitMl.Data;
using DigitMl.Tests.TestData;
using DigitMl.Training;
using DigitMl.Training.Augmentation;

namespace DigitMl.Tests.Training;

/// <summary>The loader's byte batches and the decoding of every image before the first step.</summary>
public sealed class TrainBatchLoaderTests
{
    private static IReadOnlyList<YoloSample> Samples() => YoloDataset.Load(TinyScenes.Create(8, 2, 1, imgsz: 64, seed: 11)).Split("train");

    [Test]
    public void PreloadedBatchesAreTheBytesOfTheAugmentedImages()
    {
        var samples = Samples();
        var options = new TrainAugmentationOptions();
        using var preloaded = new TrainBatchLoader(samples, 64, 4, options, seed: 2, workers: 0, prefetch: 1, cache: true);
        Assert.That(preloaded.Preload(threads: 2), Is.EqualTo(samples.Count), "every image decoded");
        using var uncached = new TrainBatchLoader(samples, 64, 4, options, seed: 2, workers: 0, prefetch: 1, cache: false);
        Assert.That(uncached.Preload(threads: 2), Is.Zero, "nothing to fill without a cache");

        preloaded.StartEpoch(0, mosaic: true);
        uncached.StartEpoch(0, mosaic: true);
        var batch = preloaded.Take(1);
        Assert.That(batch.Pixels, Is.EqualTo(uncached.Take(1).Pixels), "the cache changes nothing but the time");
        Assert.That(batch.Pixels, Has.Length.EqualTo(4 * 64 * 64 * 3), "[B, S, S, 3] RGB bytes");

        // the bytes are the augmenter's images, in batch order
        var order = Enumerable.Range(0, samples.Count).ToArray();
        new Random(DeterministicSeed.Mix(2, 0, 0x5EED)).Shuffle(order);
        var augmenter = new TrainSampleAugmenter(samples, 64, options, i => SampleImages.Load(samples[i]));
        var second = augmenter.Create(order[5], new Random(DeterministicSeed.Mix(2, 0, 5)), allowMosaic: true);
        Assert.That(batch.Pixels.AsSpan(64 * 64 * 3, 64 * 64 * 3).ToArray(), Is.EqualTo(second.Image.Pixels));
    }

    [Test]
    public void PreloadStopsWhenCancelled()
    {
        using var loader = new TrainBatchLoader(Samples(), 64, 4, TrainAugmentationOptions.None, seed: 1, workers: 0, prefetch: 1, cache: true);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.That(() => loader.Preload(threads: 2, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void ACorruptImageFailsThePreloadNamingTheFile()
    {
        var samples = Samples().ToList();
        string broken = Path.Combine(TinyScenes.NewTempDirectory("broken"), "broken.png");
        File.WriteAllBytes(broken, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        samples[3] = samples[3] with { ImagePath = broken };
        using var loader = new TrainBatchLoader(samples, 64, 4, TrainAugmentationOptions.None, seed: 1, workers: 0, prefetch: 1, cache: true);
        Assert.That(() => loader.Preload(threads: 2), Throws.TypeOf<InvalidDataException>().With.Message.Contains("broken.png"));
    }

    [Test]
    public void TheCacheTakesAtMostHalfOfTheMemoryAProcessMayUse()
    {
        YoloSample Photo(int i) => new($"photo{i}.jpg", 4000, 3000, []);
        var photos = Enumerable.Range(0, 1000).Select(Photo).ToList();  // 1,000 twelve-megapixel photos: 36 GB decoded
        Assert.That(TrainBatchLoader.DecodedBytes(photos), Is.EqualTo(1000L * 4000 * 3000 * 3));
        Assert.That(TrainBatchLoader.CacheFits(photos, availableBytes: 24L << 30), Is.False, "a 24 GiB machine decodes them per batch");
        Assert.That(TrainBatchLoader.CacheFits(photos, availableBytes: 80L << 30), Is.True);
        var scenes = Enumerable.Range(0, 12_000).Select(i => new YoloSample($"scene{i}.png", 160, 160, [])).ToList();
        Assert.That(TrainBatchLoader.CacheFits(scenes, availableBytes: 4L << 30), Is.True, "the main job's 12,000 turned scenes (0.9 GB) fit 4 GiB");
    }

    [Test]
    public void BatchesBuiltAheadAreTheBatchesBuiltOnTake()
    {
        var samples = Samples();
        var options = new TrainAugmentationOptions();
        using var plain = new TrainBatchLoader(samples, 64, 3, options, seed: 4, workers: 0, prefetch: 1, cache: true);
        using var ahead = new TrainBatchLoader(samples, 64, 3, options, seed: 4, workers: 0, prefetch: 1, cache: true);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            plain.StartEpoch(epoch, mosaic: epoch == 0);
            ahead.StartEpoch(epoch, mosaic: epoch == 0);
            for (int b = 0; b < plain.BatchesPerEpoch; b++)
            {
                var expected = plain.Take(b);
                var actual = ahead.Take(b);
                Assert.That(actual.Pixels, Is.EqualTo(expected.Pixels), $"epoch {epoch}, batch {b}: pixels");
                Assert.That(actual.Targets, Is.EqualTo(expected.Targets), $"epoch {epoch}, batch {b}: targets");
                Assert.That(actual.Mask, Is.EqualTo(expected.Mask), $"epoch {epoch}, batch {b}: mask");
                // as the trainer does it: ahead, paused for a while (every other batch), resumed
                ahead.BuildAhead(b + 1);
                if (b % 2 == 0) ahead.PauseAhead();
                Thread.Sleep(5);
                ahead.ResumeAhead();
            }
        }
    }

    [Test]
    public void TakeBuildsWhatAPausedBatchAheadHasNotReached()
    {
        using var loader = new TrainBatchLoader(Samples(), 64, 4, TrainAugmentationOptions.None, seed: 1, workers: 0, prefetch: 1, cache: true);
        loader.StartEpoch(0, mosaic: false);
        loader.Take(0);
        loader.BuildAhead(1);
        loader.PauseAhead();
        var take = Task.Run(() => loader.Take(1));
        Assert.That(take.Wait(TimeSpan.FromSeconds(30)), Is.True, "Take does not wait for a pause to end");
        Assert.That(take.Result.Count, Is.EqualTo(4));
    }

    [Test]
    public void ACorruptImageBuiltAheadFailsTheTakeNamingTheFile()
    {
        var samples = Samples().ToList();
        string broken = Path.Combine(TinyScenes.NewTempDirectory("broken"), "broken.png");
        File.WriteAllBytes(broken, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        for (int i = 0; i < samples.Count; i++) samples[i] = samples[i] with { ImagePath = broken };
        using var loader = new TrainBatchLoader(samples, 64, 4, TrainAugmentationOptions.None, seed: 1, workers: 0, prefetch: 1, cache: false);
        loader.StartEpoch(0, mosaic: false);
        loader.BuildAhead(0);
        Thread.Sleep(50); // the background thread meets the file first
        Assert.That(() => loader.Take(0), Throws.TypeOf<InvalidDataException>().With.Message.Contains("broken.png"));
        // a batch built ahead and never taken is dropped with the epoch, its failure with it
        loader.BuildAhead(1);
        Assert.That(() => loader.StartEpoch(1, mosaic: false), Throws.Nothing);
    }
}
