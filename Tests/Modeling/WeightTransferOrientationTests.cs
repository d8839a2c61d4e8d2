using DigitMl.Modeling;
using static TorchSharp.torch;

namespace DigitMl.Tests.Modeling;

/// <summary>
/// Class outputs mapped by class name: turn-aware weights (a class branch of 4 x nc, docs/orientation.md) into a plain
/// model and the other way round, new classes added to the file's (digits plus a minus sign), classes reordered.
/// </summary>
public sealed class WeightTransferOrientationTests
{
    private static readonly string[] Digits = Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static Dictionary<string, StoredTensor> Weights(YoloV8Model model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => StoredTensor.From(kv.Key, kv.Value));

    /// <summary>Class outputs of distinct values (a fresh head's biases are all the same prior): a wrong row would show.</summary>
    private static void Distinguish(YoloV8Model model)
    {
        using var guard = no_grad();
        foreach (var (name, tensor) in model.state_dict())
            if (WeightTransfer.ClassOutputLevel(name) is not null) tensor.normal_();
    }

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
        string[] letters = [.. Enumerable.Range(0, 10).Select(i => ((char)('a' + i)).ToString())];
        foreach (var classes in new ClassCorrespondence?[] { null, new(null, 4, Digits), new(letters, 4, Digits) })
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
    public void AnExtraClassKeepsTheFilesRowsOfTheSharedClassesAndAFreshRowOfItsOwn()
    {
        manual_seed(8);
        using var source = new YoloV8Model(YoloV8Scale.N, 10);
        Distinguish(source);
        manual_seed(9);
        using var target = new YoloV8Model(YoloV8Scale.N, 11);
        string[] withMinus = [.. Digits, "minus"];
        var report = WeightTransfer.LoadInto(target, Weights(source), "digits.safetensors", new ClassCorrespondence(Digits, 1, withMinus));

        Assert.That(report.Adapted, Has.Count.EqualTo(6));
        Assert.That(report.Reinitialised, Is.Empty);
        Assert.That(report.Adapted[0].How, Does.Contain("10 of 11 classes matched by name, new (freshly initialised): minus"));
        var sourceState = source.state_dict();
        var targetState = target.state_dict();
        for (int level = 0; level < 3; level++)
        {
            foreach (string part in new[] { "weight", "bias" })
            {
                string name = $"model.22.cv3.{level}.2.{part}";
                Assert.That(Rows(targetState[name], 0, 10), Is.EqualTo(Rows(sourceState[name], 0, 10)), name);
            }
            // the new class starts from the class prior like a fresh head, not from a copy of a digit
            float prior = (float)Math.Log(5.0 / 11 / Math.Pow(640.0 / target.Strides[level], 2));
            Assert.That(Rows(targetState[$"model.22.cv3.{level}.2.bias"], 10, 1)[0], Is.EqualTo(prior).Within(1e-5), $"level {level}");
        }
    }

    [Test]
    public void TheSameClassesInAnotherOrderAreMappedByNameNotByPosition()
    {
        manual_seed(10);
        using var source = new YoloV8Model(YoloV8Scale.N, 10);
        Distinguish(source);
        using var target = new YoloV8Model(YoloV8Scale.N, 10);
        string[] reversed = [.. Digits.Reverse()];
        var report = WeightTransfer.LoadInto(target, Weights(source), "reversed.safetensors", new ClassCorrespondence(reversed, 1, Digits));

        Assert.That(report.Adapted, Has.Count.EqualTo(6));
        var bias = Rows(target.state_dict()["model.22.cv3.0.2.bias"], 0, 10);
        var fileBias = Rows(source.state_dict()["model.22.cv3.0.2.bias"], 0, 10);
        for (int c = 0; c < 10; c++)
            Assert.That(bias[c], Is.EqualTo(fileBias[9 - c]), $"class {c}");
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
