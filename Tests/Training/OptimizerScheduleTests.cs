using DigitMl.Modeling;
using DigitMl.Training;
using DigitMl.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitMl.Tests.Training;

public sealed class OptimizerScheduleTests
{
    [Test]
    public void AutoPicksAdamWWithTheFittedLrForShortRunsAndSgdForLongOnes()
    {
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 10);
        var options = new YoloV8TrainerOptions { Optimizer = "auto" };

        var shortRun = OptimizerFactory.Build(model, options, iterations: 10_000, weightDecay: 5e-4);
        Assert.That(shortRun.Name, Is.EqualTo("AdamW"));
        Assert.That(shortRun.LearningRate, Is.EqualTo(0.000714));  // round(0.002 * 5 / (4 + 10), 6)
        Assert.That(shortRun.WarmupBiasLr, Is.Zero);
        Assert.That(shortRun.Optimizer, Is.InstanceOf<AdamOptimizer>().With.Property(nameof(AdamOptimizer.Decoupled)).True);

        var longRun = OptimizerFactory.Build(model, options, iterations: 10_001, weightDecay: 5e-4);
        Assert.That(longRun.Name, Is.EqualTo("SGD"));
        Assert.That(longRun.LearningRate, Is.EqualTo(0.01));
        Assert.That(longRun.Optimizer, Is.InstanceOf<SgdOptimizer>());
        Assert.That(longRun.Optimizer.Groups.Select(g => g.WeightDecay), Is.EqualTo(new[] { 0, 5e-4, 0 }));
        shortRun.Optimizer.Dispose();
        longRun.Optimizer.Dispose();
    }

    [Test]
    public void ParameterGroupsAreBiasesDecayedWeightsAndNormWeights()
    {
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 10);
        var (biases, decayed, norms) = OptimizerFactory.Groups(model);
        var names = model.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);

        Assert.That(biases.Count + decayed.Count + norms.Count, Is.EqualTo(model.parameters().Count()));
        Assert.That(biases.Select(p => names[p.Handle]), Is.All.EndsWith(".bias"));
        Assert.That(norms.Select(p => names[p.Handle]), Is.All.EndsWith(".bn.weight"));
        Assert.That(decayed.Select(p => names[p.Handle]), Is.All.EndsWith(".weight").And.All.Not.EndsWith(".bn.weight"));
        Assert.That(norms, Is.Not.Empty);
    }

    [Test]
    public void LinearScheduleWarmupAndAccumulation()
    {
        var options = new YoloV8TrainerOptions { Epochs = 10, Lrf = 0.01, WarmupEpochs = 3, NominalBatchSize = 64 };
        var schedule = new LearningRateSchedule(10, batchesPerEpoch: 50, batchSize: 16, options);

        Assert.That(schedule.Factor(0), Is.EqualTo(1.0));
        Assert.That(schedule.Factor(5), Is.EqualTo((0.5 * 0.99) + 0.01).Within(1e-12));
        Assert.That(schedule.Factor(10), Is.EqualTo(0.01).Within(1e-12));
        Assert.That(schedule.WarmupIterations, Is.EqualTo(150));  // 3 * 50
        Assert.That(schedule.Accumulate, Is.EqualTo(4));          // 64 / 16
        Assert.That(schedule.AccumulateAt(0), Is.EqualTo(1));
        Assert.That(schedule.AccumulateAt(150), Is.EqualTo(4));
        Assert.That(schedule.WarmupValue(75, 0.1, 0.01), Is.EqualTo(0.055).Within(1e-12));
        Assert.That(schedule.InWarmup(150), Is.True);
        Assert.That(schedule.InWarmup(151), Is.False);

        var cosine = new LearningRateSchedule(10, 50, 16, options with { CosineLr = true });
        Assert.That(cosine.Factor(0), Is.EqualTo(1.0).Within(1e-12));
        Assert.That(cosine.Factor(5), Is.EqualTo(0.505).Within(1e-12));
        Assert.That(cosine.Factor(10), Is.EqualTo(0.01).Within(1e-12));
    }

    [Test]
    public void EmaFollowsTheModelEarlyAndRampsItsDecay()
    {
        manual_seed(1);
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 2);
        using var ema = new ModelEma(model, decay: 0.9999, tau: 2000);
        Assert.That(ema.NextDecay, Is.EqualTo(0.9999 * (1 - Math.Exp(-1.0 / 2000))).Within(1e-12));

        var (name, weight) = model.named_parameters().First();
        using (no_grad()) weight.add_(1.0);
        ema.Update();

        var emaWeight = ema.Model.named_parameters().First(p => p.name == name).parameter;
        double d = 0.9999 * (1 - Math.Exp(-1.0 / 2000));
        // ema = d * old + (1 - d) * (old + 1) = old + (1 - d)
        using var expected = weight - d;
        Assert.That((emaWeight - expected).abs().max().item<float>(), Is.LessThan(1e-5f));
        Assert.That(ema.Updates, Is.EqualTo(1));
    }

    [Test]
    public void ASmallDatasetLeavesWarmupBeforeItsLastEpoch()
    {
        // 400 images, batch 16: 25 batches per epoch, 75 in 3 epochs; the old floor of 100 warmup iterations meant the
        // whole run was warmup. Now warmup lasts at most epochs - 1 epochs, without a floor.
        var options = new YoloV8TrainerOptions { Epochs = 3, WarmupEpochs = 3, BatchSize = 16, NominalBatchSize = 64 };
        var schedule = new LearningRateSchedule(options.Epochs, 25, options.BatchSize, options);
        Assert.That(schedule.WarmupIterations, Is.EqualTo(50));
        Assert.That(schedule.InWarmup(74), Is.False, "the last epoch trains at the scheduled learning rate");

        var short10 = new LearningRateSchedule(10, 3, 16, options with { Epochs = 10, WarmupEpochs = 3 });
        Assert.That(short10.WarmupIterations, Is.EqualTo(9), "3 epochs of 3 batches, no 100-iteration floor");

        var oneEpoch = new LearningRateSchedule(1, 25, 16, options with { Epochs = 1 });
        Assert.That(oneEpoch.WarmupIterations, Is.EqualTo(-1), "a single epoch has no warmup");
    }
}
