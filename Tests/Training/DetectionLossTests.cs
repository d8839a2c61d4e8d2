using DigitMl.Data;
using DigitMl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Tests.Training;

/// <summary>The loss on hand-made head maps of a 32 px input (strides 8, 16, 32: grids 4x4, 2x2, 1x1).</summary>
public sealed class DetectionLossTests
{
    private const int Classes = 3;
    private const int RegMax = 16;
    private static readonly long[] Strides = [8, 16, 32];

    private static Tensor[] RandomMaps(int batch, bool requiresGrad = false) =>
        [.. new[] { 4, 2, 1 }.Select(s => (randn(batch, (4 * RegMax) + Classes, s, s) * 0.1f).requires_grad_(requiresGrad))];

    [Test]
    public void ImagesWithoutObjectsHaveOnlyAClassLoss()
    {
        manual_seed(3);
        var maps = RandomMaps(2);
        using var targets = zeros(2, 4, 5);
        using var mask = zeros(2, 4);
        var loss = new DetectionLoss(Classes, Strides);

        using var result = loss.Compute(maps, targets, mask);

        Assert.That(float.IsFinite(result.Total.item<float>()), Is.True);
        Assert.That(result.Cls, Is.GreaterThan(0f));
        Assert.That(result.Box, Is.EqualTo(0f));
        Assert.That(result.Dfl, Is.EqualTo(0f));
        // total = (box + cls + dfl) * batch
        Assert.That(result.Total.item<float>(), Is.EqualTo(result.Cls * 2).Within(1e-4));

        using var noSlots = loss.Compute(maps, zeros(2, 0, 5), zeros(2, 0));
        Assert.That(noSlots.Cls, Is.EqualTo(result.Cls).Within(1e-5));
        foreach (var m in maps) m.Dispose();
    }

    [Test]
    public void ClassLossOfEmptyImagesIsBceAgainstZeroOverTheGain()
    {
        // no targets: the score sum normaliser is 1, so cls = 0.5 * sum(BCE(logit, 0)) = 0.5 * sum(softplus(logit))
        var maps = new[] { zeros(1, (4 * RegMax) + Classes, 4, 4), zeros(1, (4 * RegMax) + Classes, 2, 2), zeros(1, (4 * RegMax) + Classes, 1, 1) };
        using var result = new DetectionLoss(Classes, Strides).Compute(maps, zeros(1, 1, 5), zeros(1, 1));
        double expected = 0.5 * 21 * Classes * Math.Log(2);
        Assert.That(result.Cls, Is.EqualTo(expected).Within(1e-3));
        foreach (var m in maps) m.Dispose();
    }

    [Test]
    public void LossWithObjectsIsFiniteAndAllTermsArePositive()
    {
        manual_seed(4);
        var maps = RandomMaps(2);
        using var targets = tensor(new float[]
        {
            1, 2, 2, 14, 18,   0, 16, 10, 30, 30,
            2, 5, 5, 27, 27,   0, 0, 0, 0, 0,
        }).view(2, 2, 5);
        using var mask = tensor(new float[] { 1, 1, 1, 0 }).view(2, 2);

        using var result = new DetectionLoss(Classes, Strides).Compute(maps, targets, mask);

        Assert.That(float.IsFinite(result.Total.item<float>()), Is.True);
        Assert.That(result.Box, Is.GreaterThan(0f));
        Assert.That(result.Cls, Is.GreaterThan(0f));
        Assert.That(result.Dfl, Is.GreaterThan(0f));
        Assert.That(result.Total.item<float>(), Is.EqualTo((result.Box + result.Cls + result.Dfl) * 2).Within(1e-3));
        foreach (var m in maps) m.Dispose();
    }

    [Test]
    public void OptimisingTheHeadMapsDirectlyFitsTheBoxes()
    {
        manual_seed(5);
        var maps = new[] { 4, 2, 1 }.Select(s => new TorchSharp.Modules.Parameter(randn(1, (4 * RegMax) + Classes, s, s) * 0.1f)).ToArray();
        using var targets = tensor(new float[] { 1, 3, 2, 15, 20, 2, 14, 12, 30, 29 }).view(1, 2, 5);
        using var mask = ones(1, 2);
        var loss = new DetectionLoss(Classes, Strides);
        using var adam = optim.Adam(maps, 0.05);

        (float Box, float Cls, float Dfl) first = default, last = default;
        for (int step = 0; step < 60; step++)
        {
            adam.zero_grad();
            using var result = loss.Compute([.. maps.Cast<Tensor>()], targets, mask);
            result.Total.backward();
            adam.step();
            if (step == 0) first = (result.Box, result.Cls, result.Dfl);
            last = (result.Box, result.Cls, result.Dfl);
        }

        // the box and DFL terms start tiny (weighted by target scores, which are small for poorly aligned predictions)
        // and rise as alignment improves, so judge the boxes by decoding them instead
        Assert.That(last.Cls + last.Box + last.Dfl, Is.LessThan((first.Cls + first.Box + first.Dfl) * 0.5f));
        Assert.That(BestBoxIoU(maps, classId: 1, new BoundingBox(3, 2, 15, 20)), Is.GreaterThan(0.8f));
        Assert.That(BestBoxIoU(maps, classId: 2, new BoundingBox(14, 12, 30, 29)), Is.GreaterThan(0.8f));
        foreach (var m in maps) m.Dispose();
    }

    /// <summary>IoU with <paramref name="truth"/> of the box predicted at the anchor scoring highest for the class.</summary>
    private static float BestBoxIoU(Tensor[] maps, int classId, BoundingBox truth)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = cat(maps.Select(m => m.view(1, (4 * RegMax) + Classes, -1)).ToArray(), 2)[0];  // [C, A]
        int best = (int)flat[(4 * RegMax) + classId].argmax().item<long>();
        var strides = new[] { 8f, 16f, 32f };
        var sizes = new[] { 4, 2, 1 };
        int level = best < 16 ? 0 : best < 20 ? 1 : 2;
        int local = best - (level == 0 ? 0 : level == 1 ? 16 : 20);
        float ax = ((local % sizes[level]) + 0.5f) * strides[level], ay = ((local / sizes[level]) + 0.5f) * strides[level];
        var bins = arange(RegMax, ScalarType.Float32);
        var d = flat.narrow(0, 0, 4 * RegMax)[.., best].view(4, RegMax).softmax(-1).matmul(bins).data<float>().ToArray();
        var box = new BoundingBox(ax - (d[0] * strides[level]), ay - (d[1] * strides[level]), ax + (d[2] * strides[level]), ay + (d[3] * strides[level]));
        return box.IoU(truth);
    }
}
