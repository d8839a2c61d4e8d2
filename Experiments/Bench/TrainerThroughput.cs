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

    public static Result Measure(BenchSettings settings, YoloDataset dataset, string workDir, CancellationToken ct, string precision = "fp32")
    {
        var samples = dataset.Split("train").Take(settings.TrainerImages).ToList();
        var options = Options(settings, precision, Path.Combine(workDir, "train-" + precision));
        var result = TrainingLoop.Run(options, samples, [], dataset.Names, progress: null, ct);
        return new Result(result.ImagesPerSecond, result.DataWaitFraction) { Precision = result.Precision, Profile = result.Profile };
    }
}
