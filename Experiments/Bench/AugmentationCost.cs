using System.Diagnostics;
using DigitMl.Data;
using DigitMl.Training;
using DigitMl.Training.Augmentation;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// What building a training batch costs on one thread (decoded images cached, as in training): the trainer's
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
        loader.StartEpoch(0, mosaic: augmentation.Mosaic > 0);
        int count = Math.Min(batches, loader.BatchesPerEpoch);
        // first pass decodes into the cache; the second is the training-time cost
        for (int b = 0; b < count; b++) loader.Take(b);
        loader.StartEpoch(1, mosaic: augmentation.Mosaic > 0);
        var clock = Stopwatch.StartNew();
        for (int b = 0; b < count; b++) loader.Take(b);
        return clock.Elapsed.TotalMilliseconds / count;
    }
}
