using DigitMl.Modeling;
using DigitMl.Training;

namespace DigitMl.Tests.TestData;

/// <summary>The tiny model at 64 px with no augmentation and AdamW: what tests that train in seconds start from.</summary>
internal static class TinyTrainerOptions
{
    public static YoloV8TrainerOptions Plain(string output, int epochs) => new()
    {
        Scale = YoloV8Scale.Tiny,
        ImageSize = 64,
        Epochs = epochs,
        BatchSize = 8,
        NominalBatchSize = 8,
        Optimizer = "AdamW",
        Lr0 = 0.01,
        WarmupEpochs = 0,
        Mosaic = 0,
        CloseMosaic = 0,
        HsvH = 0,
        HsvS = 0,
        HsvV = 0,
        Translate = 0,
        ScaleAugmentation = 0,
        Workers = 1,
        Seed = 7,
        // calibrated in float32, so the thresholds hold on CPUs with and without bf16 (at this scale bf16 learns as
        // well over eight seeds, docs/training.md, "Parity"); MixedPrecisionTests cover bf16
        Precision = "fp32",
        OutputDirectory = output,
    };
}
