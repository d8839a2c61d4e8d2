using DigitMl.Data;
using DigitMl.Modeling;
using DigitMl.Tests.TestData;
using DigitMl.Training;
using static TorchSharp.torch;

namespace DigitMl.Tests.Training;

public sealed class FreezeTests
{
    [Test]
    public void FrozenLayersKeepTheirBatchNormStatistics()
    {
        // a frozen layer's BatchNorm runs in eval mode, as the reference's; the layers after it keep learning theirs
        var dataset = YoloDataset.Load(TinyScenes.Create(8, 2, 1, imgsz: 64, seed: 11));
        var dir = TinyScenes.NewTempDirectory("freeze");
        var options = new YoloV8TrainerOptions
        {
            Scale = YoloV8Scale.Tiny,
            ImageSize = 64,
            Epochs = 1,
            BatchSize = 4,
            Validate = false,
            Workers = 1,
            Freeze = 10,
            OutputDirectory = dir,
        };

        var result = TrainingLoop.Run(options, dataset.Split("train"), [], dataset.Names);

        using var stored = Checkpoint.Read(result.LastCheckpoint);
        using var scope = NewDisposeScope();
        // a fresh BatchNorm has running_mean 0 and running_var 1
        Assert.That(stored.Model["model.0.bn.running_mean"].abs().max().item<float>(), Is.Zero, "model.0 (frozen)");
        Assert.That(stored.Model["model.9.cv2.bn.running_var"].sub(ones(1)).abs().max().item<float>(), Is.Zero, "model.9 (frozen)");
        Assert.That(stored.Model["model.12.cv1.bn.running_mean"].abs().max().item<float>(), Is.GreaterThan(0), "model.12 (trained)");
    }
}
