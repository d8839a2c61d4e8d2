using DigitMl.Modeling;
using static TorchSharp.torch;

namespace DigitMl.Tests.Modeling;

/// <summary>Turn-aware weights (a class branch of 4 x nc, docs/orientation.md) into a plain model and the other way round.</summary>
public sealed class WeightTransferOrientationTests
{
    private static readonly string[] Digits = Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static Dictionary<string, StoredTensor> Weights(YoloV8Model model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => StoredTensor.From(kv.Key, kv.Value));

    private static float[] Rows(Tensor t, long from, long count) => t.narrow(0, from, count).contiguous().data<float>().ToArray();

    [Test]
    public void TurnAwareIntoPlainTakesTheUprightRowsOfTheSameClasses()
    {
        manual_seed(1);
        using var source = new YoloV8Model(YoloV8Scale.N, 10, orientations: 4);
        manual_seed(2);
        using var target = new YoloV8Model(YoloV8Scale.N, 10);
        var report = WeightTransfer.LoadInto(target, Weights(source), "turns.safetensors", new ClassCorrespondence(Digits, 4, Digits));

        string[] classOutputs = Enumerable.Range(0, 3).SelectMany(l => new[] { $"model.22.cv3.{l}.2.weight", $"model.22.cv3.{l}.2.bias" }).ToArray();
        Assert.That(report.Adapted.Select(a => a.Name), Is.EquivalentTo(classOutputs));
        Assert.That(report.Adapted[0].How, Does.Contain("turn 0"));
        Assert.That(report.Reinitialised, Is.Empty);
        Assert.That(report.Skipped, Is.Empty);
        Assert.That(report.Loaded, Has.Count.EqualTo(target.state_dict().Count - classOutputs.Length));
        Assert.That(report.Summary, Does.Contain("adapted 6"));
        var sourceState = source.state_dict();
        foreach (string name in classOutputs)
            Assert.That(Rows(target.state_dict()[name], 0, 10), Is.EqualTo(Rows(sourceState[name], 0, 10)), name);
    }

    [Test]
    public void PlainIntoTurnAwareCopiesEachClassToEveryTurn()
    {
        manual_seed(3);
        using var source = new YoloV8Model(YoloV8Scale.N, 10);
        manual_seed(4);
        using var target = new YoloV8Model(YoloV8Scale.N, 10, orientations: 4);
        var report = WeightTransfer.LoadInto(target, Weights(source), "plain.safetensors", new ClassCorrespondence(Digits, 1, Digits));

        Assert.That(report.Adapted, Has.Count.EqualTo(6));
        Assert.That(report.Adapted[0].How, Does.Contain("all 4 turns"));
        var bias = target.state_dict()["model.22.cv3.1.2.bias"];
        var expected = Rows(source.state_dict()["model.22.cv3.1.2.bias"], 0, 10);
        for (int turn = 0; turn < 4; turn++)
            Assert.That(Rows(bias, turn * 10, 10), Is.EqualTo(expected), $"turn {turn}");
    }

    [Test]
    public void WithoutKnownNamesOrWithOtherNamesTheClassOutputsAreReinitialised()
    {
        manual_seed(5);
        using var source = new YoloV8Model(YoloV8Scale.N, 10, orientations: 4);
        var weights = Weights(source);
        foreach (var classes in new ClassCorrespondence?[] { null, new(null, 4, Digits), new([.. Digits.Reverse()], 4, Digits) })
        {
            manual_seed(6);
            using var target = new YoloV8Model(YoloV8Scale.N, 10);
            var report = WeightTransfer.LoadInto(target, weights, "turns.safetensors", classes);
            Assert.That(report.Adapted, Is.Empty, classes?.ToString() ?? "no names");
            Assert.That(report.Reinitialised, Has.Count.EqualTo(6));
            Assert.That(report.ToString(), Does.Contain("re-initialised: new classes"));
        }
    }

    [Test]
    public void AtTinyScaleTheWiderTurnAwareClassBranchKeepsItsFreshLayersAndSaysSo()
    {
        // tiny: the class branch is max(16, min(4 x 10, 100)) = 40 wide turn-aware, 16 plain, so its first two
        // convolutions differ too and the output cannot be mapped
        manual_seed(7);
        using var source = new YoloV8Model(YoloV8Scale.Tiny, 10, orientations: 4);
        using var target = new YoloV8Model(YoloV8Scale.Tiny, 10);
        var report = WeightTransfer.LoadInto(target, Weights(source), "turns.safetensors", new ClassCorrespondence(Digits, 4, Digits));
        Assert.That(report.Adapted, Is.Empty);
        Assert.That(report.Reinitialised, Has.Count.EqualTo(6));
        Assert.That(report.Skipped.Select(s => s.Name), Does.Contain("model.22.cv3.0.0.conv.weight"));
        Assert.That(report.ToString(), Does.Contain("model.22.cv3.0.0.conv.weight: model [16, 16, 3, 3], file [40, 16, 3, 3] (kept its fresh initialisation)"));
        Assert.That(report.Loaded, Does.Contain("model.22.cv2.0.2.weight"));
    }
}
