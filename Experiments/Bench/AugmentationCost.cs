using System.Diagnostics;
using DigitMl.Data;
using DigitMl.Training;
using DigitMl.Training.Augmentation;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// What building a training batch costs on one thread (every image decoded into the cache first, as the trainer does): the trainer's
/// augmentation in full, without the HSV jitter, and as a plain letterbox, so that the HSV and the mosaic + affine
/// warp shares can be told apart. On 2 cores the loader's threads take this CPU time from libtorch's.
/// </summary>
public static class AugmentationCost
{
    public sealed record Result(double FullMsPerBatch, double WithoutHsvMsPerBatch, double LetterboxMsPerBatch)
    {
        public double HsvMsPerBatch => FullMsPerBatch - WithoutHsvMsPerBatch;

        public double WarpMsPerBatch => WithoutHsvMsPerBatch - LetterboxMsPerBatch;
    }

    public static Result Measure(BenchSettings settings, YoloDataset dataset, int batches)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(dataset);
        var full = TrainerThroughput.Options(settings, "fp32", "unused").ToAugmentationOptions();
        var withoutHsv = full with { HsvH = 0, HsvS = 0, HsvV = 0 };
        var letterbox = TrainAugmentationOptions.None;
        var samples = dataset.Split("train").Take(settings.TrainerImages).ToList();
        return new Result(MsPerBatch(settings, samples, full, batches), MsPerBatch(settings, samples, withoutHsv, batches),
            MsPerBatch(settings, samples, letterbox, batches));
    }

    private static double MsPerBatch(BenchSettings settings, IReadOnlyList<YoloSample> samples, TrainAugmentationOptions augmentation, int batches)
    {
        using var loader = new TrainBatchLoader(samples, settings.ImageSize, settings.BatchSize, augmentation, seed: 0, workers: 0, prefetch: 1, cache: true);
        // every image decoded first, as the trainer does before its first step: what is left is the cost of every step
        loader.Preload(Environment.ProcessorCount);
        int count = Math.Min(batches, loader.BatchesPerEpoch);
        loader.StartEpoch(0, mosaic: augmentation.Mosaic > 0);
        for (int b = 0; b < Math.Min(2, count); b++) loader.Take(b);
        loader.StartEpoch(1, mosaic: augmentation.Mosaic > 0);
        var clock = Stopwatch.StartNew();
        for (int b = 0; b < count; b++) loader.Take(b);
        return clock.Elapsed.TotalMilliseconds / count;
    }
}
