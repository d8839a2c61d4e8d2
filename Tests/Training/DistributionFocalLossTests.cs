using DigitMl.Training;
using static TorchSharp.torch;

namespace DigitMl.Tests.Training;

public sealed class DistributionFocalLossTests
{
    [Test]
    public void UniformDistributionCostsLogOfBinCount()
    {
        using var logits = zeros(1, 4, 16);
        using var targets = tensor(new float[] { 2f, 2.5f, 7.25f, 14.9f }).view(1, 4);
        using var loss = DistributionFocalLoss.Compute(logits, targets);
        Assert.That(loss.item<float>(), Is.EqualTo(Math.Log(16)).Within(1e-5));
    }

    [Test]
    public void DistributionSplitAsTheTargetCostsItsEntropy()
    {
        // p(2) = 0.75, p(3) = 0.25, target 2.25 -> weights 0.75 / 0.25: loss = -(0.75 ln 0.75 + 0.25 ln 0.25)
        var row = Enumerable.Repeat(-1e4f, 16).ToArray();
        row[2] = MathF.Log(0.75f);
        row[3] = MathF.Log(0.25f);
        using var logits = tensor(Enumerable.Repeat(row, 4).SelectMany(r => r).ToArray()).view(1, 4, 16);
        using var targets = full(1, 4, 2.25f);
        using var loss = DistributionFocalLoss.Compute(logits, targets);
        double expected = -((0.75 * Math.Log(0.75)) + (0.25 * Math.Log(0.25)));
        Assert.That(loss.item<float>(), Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void ConfidentWrongBinCostsMore()
    {
        var row = Enumerable.Repeat(0f, 16).ToArray();
        row[10] = 8f;
        using var logits = tensor(Enumerable.Repeat(row, 4).SelectMany(r => r).ToArray()).view(1, 4, 16);
        using var near = DistributionFocalLoss.Compute(logits, full(1, 4, 10f));
        using var far = DistributionFocalLoss.Compute(logits, full(1, 4, 3f));
        // exact target bin: -log softmax = log(15 + e^8) - 8; wrong bin: log(15 + e^8)
        Assert.That(near.item<float>(), Is.EqualTo(Math.Log(15 + Math.Exp(8)) - 8).Within(1e-4));
        Assert.That(far.item<float>(), Is.EqualTo(Math.Log(15 + Math.Exp(8))).Within(1e-4));
    }
}
