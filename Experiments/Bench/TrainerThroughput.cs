using DigitMl.Experiments.Cli;
using DigitMl.Data;
using DigitMl.Data.Mnist;
using DigitMl.Data.Scenes;
using DigitMl.Training;

namespace DigitMl.Experiments.Bench;

/// <summary>Real training steps (decode, mosaic/affine/HSV, letterbox, assigner, loss, optimizer, EMA) on generated scenes.</summary>
public static class TrainerThroughput
{
    public sealed record Result(double ImagesPerSecond, double DataWaitFraction)
    {
        /// <summary>The precision the trainer ran in (fp32 or bf16).</summary>
        public string Precision { get; init; } = "fp32";

        /// <summary>Where the step time went.</summary>
        public StepProfile Profile { get; init; } = new();
    }

    /// <summary>Generated digit scenes at the bench's image size (the trainer's data, and the inference section's images).</summary>
    public static YoloDataset GenerateScenes(BenchSettings settings, string workDir, CancellationToken ct)
    {
        string yaml = SceneGenerator.Generate(
            MnistDigits.Load(RepositoryLayout.MnistDir),
            Path.Combine(workDir, "scenes"),
            new SceneOptions { Train = Math.Max(settings.TrainerImages, settings.WorkerImages), Val = 1, Test = 1, Width = settings.ImageSize, Height = settings.ImageSize },
            cancellationToken: ct);
        return YoloDataset.Load(yaml);
    }

    /// <summary>The trainer's options in the bench: one epoch, no validation, the bench's scale, size, batch and threads.</summary>
    public static YoloV8TrainerOptions Options(BenchSettings settings, string precision, string outputDirectory) => new()
    {
        Scale = settings.Scale,
        ImageSize = settings.ImageSize,
        BatchSize = settings.BatchSize,
        Epochs = 1,
        Validate = false,
        Precision = precision,
        Threads = settings.Threads,
        OutputDirectory = outputDirectory,
    };

    /// <summary>The trainer's first batch of the epoch (mosaic, affine, HSV as in training), built on this thread.</summary>
    public static TrainBatch FirstBatch(BenchSettings settings, YoloDataset dataset)
    {
        var options = Options(settings, "fp32", "unused");
        using var loader = new TrainBatchLoader(dataset.Split("train").Take(settings.TrainerImages).ToList(), settings.ImageSize, settings.BatchSize,
            options.ToAugmentationOptions(), options.Seed, workers: 0, prefetch: 1, cache: true);
        loader.StartEpoch(0, mosaic: true);
        return loader.Take(0);
    }

    /// <summary>
    /// One epoch of real training. Images/s is the steady rate from the end of the tenth batch to the end of the epoch
    /// (the model ceiling also leaves out its warm-up calls: libtorch's first calls of a shape are slow); data wait
    /// and the step profile cover the whole epoch.
    /// </summary>
    public static Result Measure(BenchSettings settings, YoloDataset dataset, string workDir, CancellationToken ct, string precision = "fp32")
    {
        var samples = dataset.Split("train").Take(settings.TrainerImages).ToList();
        var options = Options(settings, precision, Path.Combine(workDir, "train-" + precision));
        var marks = new List<(long Timestamp, int Images)>();
        var progress = new Sweeps.InlineProgress<TrainingProgress>(p =>
        {
            if (p.Phase == TrainingPhase.Training) marks.Add((System.Diagnostics.Stopwatch.GetTimestamp(), Math.Min(p.Batch * settings.BatchSize, samples.Count)));
        });
        var result = TrainingLoop.Run(options, samples, [], dataset.Names, progress, ct);
        double rate = result.ImagesPerSecond;
        if (marks.Count > 4)
        {
            // from the end of the tenth batch (the third in a quick run) to the end of the epoch
            var (start, end) = (marks[Math.Min(9, marks.Count / 2)], marks[^1]);
            rate = (end.Images - start.Images) / System.Diagnostics.Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        }
        return new Result(rate, result.DataWaitFraction) { Precision = result.Precision, Profile = result.Profile };
    }
}
