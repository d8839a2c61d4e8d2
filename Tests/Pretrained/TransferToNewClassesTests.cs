using DigitMl.Data;
using DigitMl.Data.Scenes;
using DigitMl.Modeling;
using DigitMl.Pretrained;
using DigitMl.Tests.TestData;
using DigitMl.Training;

namespace DigitMl.Tests.Pretrained;

/// <summary>
/// The case the shipped weights exist for (README, "Your own classes"): a small dataset of another look with another
/// class list, the ten digits plus a handwritten minus sign on all kinds of paper, 200 training images. A few epochs
/// from the shipped weights must beat the same budget from random weights clearly; the class output keeps the file's
/// rows of the ten digits by name and gives the minus sign a fresh row, and the report says so.
/// </summary>
[NonParallelizable]
public sealed class TransferToNewClassesTests
{
    private const int Epochs = 2;

    private static (IReadOnlyList<YoloSample> Train, IReadOnlyList<YoloSample> Val, IReadOnlyList<string> Names) Amounts()
    {
        var source = new SymbolDigitSource(new MnistDigitSource(TinyScenes.Mnist), [SceneSymbol.Minus]);
        var options = new SceneOptions { Train = 200, Val = 30, Test = 1, Seed = 7, Variation = SceneVariation.Preset("paper") };
        var dataset = YoloDataset.Load(SceneGenerator.Generate(source, Path.Combine(TinyScenes.NewTempDirectory("amounts"), "scenes"), options));
        return (dataset.Split("train"), dataset.Split("val"), dataset.Names);
    }

    private static YoloV8TrainerOptions Options(string name, string? init) => new()
    {
        Scale = YoloV8Scale.N,
        ImageSize = PretrainedWeights.Provenance.Model.ImageSize,
        Epochs = Epochs,
        Init = init,
        Seed = 3,
        Workers = 1,
        // deterministic on every CPU; the main job's bf16 matches fp32 at this scale (docs/training.md, "Precision")
        Precision = "fp32",
        OutputDirectory = TinyScenes.NewTempDirectory(name),
    };

    [Test]
    public void TheShippedWeightsLearnDigitsPlusAMinusSignFarFasterThanRandomWeights()
    {
        var (train, val, names) = Amounts();
        Assert.That(names, Is.EqualTo(new[] { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "minus" }));
        Assert.That(train.Sum(s => s.Objects.Count(o => o.ClassId == 10)), Is.GreaterThan(50), "the training images hold minus signs");

        var fineTuneOptions = Options("fine-tune", PretrainedWeights.InitName);
        var fineTuned = TrainingLoop.Run(fineTuneOptions, train, val, names);
        var scratch = TrainingLoop.Run(Options("scratch", null), train, val, names);

        double tuned = fineTuned.Best.Map50, cold = scratch.Best.Map50;
        TestContext.Out.WriteLine($"{Epochs} epochs x {train.Count} images: val mAP50 / mAP50-95 from the shipped weights " +
            $"{tuned:F3} / {fineTuned.Best.Map50To95:F3}, from random weights {cold:F3} / {scratch.Best.Map50To95:F3}");
        Assert.That(tuned, Is.AtLeast(0.6), "fine-tuned from the shipped weights");
        Assert.That(tuned, Is.GreaterThan(cold + 0.4), "the pretrained start wins clearly on the same budget");

        string report = File.ReadAllText(Path.Combine(fineTuneOptions.OutputDirectory, TrainingFiles.InitReport));
        TestContext.Out.WriteLine(report);
        Assert.That(report, Does.Contain("adapted 6 (class rows mapped)"));
        Assert.That(report, Does.Contain("re-initialised 0, missing 0, unexpected 0"));
        Assert.That(report, Does.Contain("model.22.cv3.0.2.weight: model [11, 64, 1, 1] from file [40, 64, 1, 1], 10 of 11 classes matched by name, new (freshly initialised): minus"));
    }
}
