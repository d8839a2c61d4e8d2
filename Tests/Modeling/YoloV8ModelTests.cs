using DigitMl.Modeling;
using static TorchSharp.torch;

namespace DigitMl.Tests.Modeling;

public sealed class YoloV8ModelTests
{
    private static long ParameterCount(TorchSharp.torch.nn.Module module) => module.parameters().Sum(p => p.numel());

    [Test]
    public void NanoAndSmallHaveTheReferenceParameterCounts()
    {
        using var nano = new YoloV8Model(YoloV8Scale.N, 80);
        using var small = new YoloV8Model(YoloV8Scale.S, 80);
        Assert.That(ParameterCount(nano), Is.EqualTo(3_157_200));
        Assert.That(ParameterCount(small), Is.EqualTo(11_166_560));
    }

    [Test]
    public void FirstNineLayersOfNanoHaveTheReferenceParameterCounts()
    {
        using var nano = new YoloV8Model(YoloV8Scale.N, 80);
        var counts = nano.Layers.Take(9).Select(l => ParameterCount((TorchSharp.torch.nn.Module)l)).ToArray();
        Assert.That(counts, Is.EqualTo(new long[] { 464, 4672, 7360, 18560, 49664, 73984, 197632, 295424, 460288 }));
    }

    [Test]
    public void StateDictNamesAreTheReferenceNames()
    {
        using var nano = new YoloV8Model(YoloV8Scale.N, 80);
        var actual = nano.state_dict().Keys.ToHashSet();
        Assert.That(actual, Is.EquivalentTo(ExpectedNanoStateDictNames()));
        Assert.That(actual, Does.Contain("model.0.conv.weight"));
        Assert.That(actual, Does.Contain("model.2.cv1.bn.running_mean"));
        Assert.That(actual, Does.Contain("model.2.m.0.cv1.conv.weight"));
        Assert.That(actual, Does.Contain("model.22.cv2.0.0.conv.weight"));
        Assert.That(actual, Does.Contain("model.22.cv3.1.2.bias"));
        Assert.That(actual, Does.Contain("model.22.dfl.conv.weight"));
        Assert.That(nano.named_parameters().Select(p => p.name), Does.Not.Contain("model.0.bn.running_mean"));
    }

    /// <summary>Names derived from the reference yolov8n structure: layer kinds, bottleneck counts, head layout.</summary>
    private static HashSet<string> ExpectedNanoStateDictNames()
    {
        var names = new HashSet<string>();
        void Conv(string prefix)
        {
            names.Add(prefix + ".conv.weight");
            foreach (var suffix in new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" })
                names.Add(prefix + ".bn." + suffix);
        }
        void C2f(int layer, int bottlenecks)
        {
            Conv($"model.{layer}.cv1");
            Conv($"model.{layer}.cv2");
            for (int b = 0; b < bottlenecks; b++)
            {
                Conv($"model.{layer}.m.{b}.cv1");
                Conv($"model.{layer}.m.{b}.cv2");
            }
        }
        foreach (int layer in new[] { 0, 1, 3, 5, 7, 16, 19 })
            Conv($"model.{layer}");
        C2f(2, 1); C2f(4, 2); C2f(6, 2); C2f(8, 1);
        C2f(12, 1); C2f(15, 1); C2f(18, 1); C2f(21, 1);
        Conv("model.9.cv1");
        Conv("model.9.cv2");
        foreach (var branch in new[] { "cv2", "cv3" })
        {
            for (int level = 0; level < 3; level++)
            {
                Conv($"model.22.{branch}.{level}.0");
                Conv($"model.22.{branch}.{level}.1");
                names.Add($"model.22.{branch}.{level}.2.weight");
                names.Add($"model.22.{branch}.{level}.2.bias");
            }
        }
        names.Add("model.22.dfl.conv.weight");
        return names;
    }

    [TestCase(64, 64)]
    [TestCase(96, 64)]
    public void ForwardGivesThreeRawMapsAndDecodeTheOutput0Layout(int height, int width)
    {
        manual_seed(3);
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 10);
        model.eval();
        using var scope = NewDisposeScope();
        var images = rand(2, 3, height, width);
        var raw = model.forward(images);
        Assert.That(raw, Has.Length.EqualTo(3));
        for (int level = 0; level < 3; level++)
        {
            long stride = model.Strides[level];
            Assert.That(raw[level].shape, Is.EqualTo(new long[] { 2, 64 + 10, height / stride, width / stride }));
        }
        long anchors = raw.Sum(r => r.shape[2] * r.shape[3]);
        var decoded = model.Decode(raw);
        Assert.That(decoded.shape, Is.EqualTo(new long[] { 2, 14, anchors }));
        var scores = decoded.narrow(1, 4, 10);
        Assert.That(scores.min().item<float>(), Is.GreaterThanOrEqualTo(0f));
        Assert.That(scores.max().item<float>(), Is.LessThanOrEqualTo(1f));
        Assert.That(decoded.isfinite().all().item<bool>(), Is.True);
    }

    [Test]
    public void ForwardRejectsSizesThatAreNotMultiplesOf32()
    {
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 2);
        using var images = zeros(1, 3, 64, 40);
        Assert.That(() => model.forward(images), Throws.ArgumentException.With.Message.Contains("multiples of 32"));
    }

    [Test]
    public void DecodeOfAHandMadeRawMapGivesTheExpectedBox()
    {
        const int nc = 3;
        using var model = new YoloV8Model(YoloV8Scale.Tiny, nc);
        using var scope = NewDisposeScope();
        // a 64x96 (h x w) input: levels 8x12, 4x6, 2x3
        var raw = new[] { zeros(1, 64 + nc, 8, 12), zeros(1, 64 + nc, 4, 6), zeros(1, 64 + nc, 2, 3) };
        // level 0, row 2, column 3: distances l=1, t=2, r=3, b=4 grid cells (near one-hot logits)
        int[] distances = [1, 2, 3, 4];
        for (int side = 0; side < 4; side++)
            raw[0][0, side * 16 + distances[side], 2, 3] = tensor(60f);
        raw[0][0, 64 + 1, 2, 3] = tensor(2f);

        var decoded = model.Decode(raw);
        int anchor = 2 * 12 + 3;
        var box = decoded[0, .., anchor];
        // anchor centre (3.5, 2.5): x0 2.5, y0 0.5, x1 6.5, y1 6.5 -> cx 4.5, cy 3.5, w 4, h 6; times stride 8
        Assert.That(box.narrow(0, 0, 4).data<float>().ToArray(), Is.EqualTo(new[] { 36f, 28f, 32f, 48f }).Within(1e-3f));
        Assert.That(box[4].item<float>(), Is.EqualTo(0.5f).Within(1e-6f));
        Assert.That(box[5].item<float>(), Is.EqualTo((float)(1 / (1 + Math.Exp(-2)))).Within(1e-6f));
        Assert.That(decoded.shape[2], Is.EqualTo(8 * 12 + 4 * 6 + 2 * 3));

        // an untouched anchor on level 2 (row 1, column 2): uniform bins -> expectation 7.5 on each side
        var far = decoded[0, .., 8 * 12 + 4 * 6 + 1 * 3 + 2];
        Assert.That(far.narrow(0, 0, 4).data<float>().ToArray(), Is.EqualTo(new[] { 2.5f * 32, 1.5f * 32, 15f * 32, 15f * 32 }).Within(1e-2f));
    }

    [Test]
    public void AnchorsAreCellCentresLevelByLevelRowMajor()
    {
        using var scope = NewDisposeScope();
        var feats = new[] { zeros(1, 1, 2, 3), zeros(1, 1, 1, 2) };
        var (points, strides) = Anchors.Make(feats, [8, 16]);
        Assert.That(points.shape, Is.EqualTo(new long[] { 8, 2 }));
        Assert.That(points.data<float>().ToArray(), Is.EqualTo(new[]
        {
            0.5f, 0.5f, 1.5f, 0.5f, 2.5f, 0.5f,
            0.5f, 1.5f, 1.5f, 1.5f, 2.5f, 1.5f,
            0.5f, 0.5f, 1.5f, 0.5f,
        }));
        Assert.That(strides.data<float>().ToArray(), Is.EqualTo(new[] { 8f, 8f, 8f, 8f, 8f, 8f, 16f, 16f }));
    }

    [Test]
    public void DetectBiasesFollowTheReferencePrior()
    {
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 10);
        for (int level = 0; level < 3; level++)
        {
            double stride = model.Strides[level];
            Assert.That(model.Head.BoxOutput(level).bias!.data<float>().ToArray(), Is.All.EqualTo(1f));
            float prior = (float)Math.Log(5.0 / 10 / Math.Pow(640 / stride, 2));
            Assert.That(model.Head.ClassOutput(level).bias!.data<float>().ToArray(), Is.All.EqualTo(prior).Within(1e-6f));
        }
        Assert.That(model.Head.Dfl.Conv.weight!.data<float>().ToArray(), Is.EqualTo(Enumerable.Range(0, 16).Select(i => (float)i).ToArray()));
    }

    [Test]
    public void FreezeStopsGradientsOfTheFirstLayersAndAlwaysOfTheDfl()
    {
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 2);
        Assert.That(model.Head.Dfl.Conv.weight!.requires_grad, Is.False);
        model.Freeze(10);
        foreach (var (name, parameter) in model.named_parameters())
        {
            bool expectFrozen = YoloV8Model.LayerIndex(name) < 10 || name == "model.22.dfl.conv.weight";
            Assert.That(parameter.requires_grad, Is.EqualTo(!expectFrozen), name);
        }
        model.Freeze(0);
        Assert.That(model.named_parameters().Count(p => !p.parameter.requires_grad), Is.EqualTo(1));
    }

    [Test]
    public void BackwardReachesEveryTrainableParameterAndNoFrozenOne()
    {
        manual_seed(5);
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 4);
        model.Freeze(3);
        model.train();
        using var scope = NewDisposeScope();
        var raw = model.forward(rand(2, 3, 64, 96));
        var loss = raw.Select(r => r.square().mean()).Aggregate((a, b) => a + b);
        loss.backward();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (parameter.requires_grad)
                Assert.That(parameter.grad is not null && parameter.grad.abs().sum().item<float>() > 0, Is.True, name);
            else
                Assert.That(parameter.grad, Is.Null, name);
        }
        Assert.That(model.state_dict()["model.0.bn.num_batches_tracked"].item<long>(), Is.EqualTo(1));
    }

    [TestCase("n", 0.33, 0.25, 1024)]
    [TestCase("YOLOv8s", 0.33, 0.50, 1024)]
    [TestCase("m", 0.67, 0.75, 768)]
    [TestCase("l", 1.0, 1.0, 512)]
    [TestCase("x", 1.0, 1.25, 512)]
    public void ScalesParse(string name, double depth, double width, int maxChannels)
    {
        var scale = YoloV8Scale.Parse(name);
        Assert.That((scale.Depth, scale.Width, scale.MaxChannels), Is.EqualTo((depth, width, maxChannels)));
    }

    [Test]
    public void UnknownScaleIsRejectedWithTheChoices()
    {
        Assert.That(() => YoloV8Scale.Parse("q"), Throws.ArgumentException.With.Message.Contains("n, s, m, l, x, tiny"));
    }
}
