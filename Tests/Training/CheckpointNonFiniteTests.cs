using DigitMl.Modeling;
using DigitMl.Training;

namespace DigitMl.Tests.Training;

/// <summary>
/// A diverged training has NaN losses in its epoch history and a best fitness of -infinity (no epoch improved).
/// The checkpoint header keeps them (issue 11: System.Text.Json refuses non-finite numbers by default, so the
/// trial died writing last.ckpt instead of failing with "NaN loss at epoch N").
/// </summary>
public sealed class CheckpointNonFiniteTests
{
    [Test]
    public void NaNLossesAndAnInfiniteBestFitnessSurviveTheCheckpointRoundTrip()
    {
        string path = Path.Combine(Path.GetTempPath(), $"digitml-nan-{Guid.NewGuid():N}.ckpt");
        using var model = new YoloV8Model(YoloV8Scale.Parse("tiny"), 2);
        var info = new CheckpointInfo { Names = ["a", "b"], Scale = YoloV8Scale.Parse("tiny"), ImageSize = 64, Epoch = 1, Fitness = double.NaN };
        var state = new TrainerState
        {
            OptimizerName = "SGD",
            EmaUpdates = 0,
            BestFitness = double.NegativeInfinity,
            BestEpoch = -1,
            OptimizerSteps = 1,
            History = [new EpochMetrics { Epoch = 1, TrainBoxLoss = float.NaN, TrainClsLoss = float.PositiveInfinity, TrainDflLoss = 1, LearningRates = [0.01], ImagesPerSecond = 10, DataWaitFraction = 0 }],
            Seed = 0,
            Epochs = 2,
            BatchSize = 4,
        };
        try
        {
            Checkpoint.Save(path, model, null, null, info, state);

            using var data = Checkpoint.Read(path);
            Assert.That(data.State!.BestFitness, Is.EqualTo(double.NegativeInfinity));
            Assert.That(float.IsNaN(data.State.History[0].TrainBoxLoss), Is.True);
            Assert.That(data.State.History[0].TrainClsLoss, Is.EqualTo(float.PositiveInfinity));
            Assert.That(double.IsNaN(data.Info.Fitness), Is.True);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
