using DigitMl.Experiments.Cli;
using DigitMl.Data;
using DigitMl.Data.Mnist;
using DigitMl.Data.Scenes;
using DigitMl.Training;

namespace DigitMl.Experiments.Bench;

/// <summary>Real training steps (decode, mosaic/affine/HSV, letterbox, assigner, loss, optimizer, EMA) on generated scenes.</summary>
public static class TrainerThroughput
{
    public sealed record Result(double ImagesPerSecond, double DataWaitFraction);

    /// <summary>Generated digit scenes at the bench's image size (the trainer's data, and the inference section's images).</summary>
    public static YoloDataset GenerateScenes(BenchSettings settings, string workDir, CancellationToken ct)
    {
        string yaml = SceneGenerator.Generate(
            MnistDigits.Load(RepositoryLayout.MnistDir),
            Path.Combine(workDir, "scenes"),
            new SceneOptions { Train = settings.TrainerImages, Val = 1, Test = 1, Width = settings.ImageSize, Height = settings.ImageSize },
            cancellationToken: ct);
        return YoloDataset.Load(yaml);
    }

    public static Result Measure(BenchSettings settings, YoloDataset dataset, string workDir, CancellationToken ct)
    {
        var options = new YoloV8TrainerOptions
        {
            Scale = settings.Scale,
            ImageSize = settings.ImageSize,
            BatchSize = settings.BatchSize,
            Epochs = 1,
            Validate = false,
            OutputDirectory = Path.Combine(workDir, "train"),
        };
        var result = TrainingLoop.Run(options, dataset.Split("train"), [], dataset.Names, progress: null, ct);
        return new Result(result.ImagesPerSecond, result.DataWaitFraction);
    }
}
