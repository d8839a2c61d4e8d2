using DigitMl.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitMl.Tests.Training;

/// <summary>
/// The trainer's own optimizers (held native scalars) against TorchSharp's optim.SGD / Adam / AdamW on the same
/// parameters and gradients: the update rules must be the same.
/// </summary>
public sealed class OptimizerParityTests
{
    private const int Steps = 6;

    [TestCase("SGD")]
    [TestCase("Adam")]
    [TestCase("AdamW")]
    public void MatchesTorchSharpsOptimizerStepForStep(string name)
    {
        const double lr = 0.05, weightDecay = 0.01, momentum = 0.9;
        using var ours = Parameters(seed: 3);
        using var theirs = Parameters(seed: 3);
        using var optimizer = Ours(name, ours, lr, weightDecay, momentum);
        using var reference = Theirs(name, theirs, lr, weightDecay, momentum);

        for (int step = 0; step < Steps; step++)
        {
            Backward(ours, step);
            Backward(theirs, step);
            optimizer.Step();
            reference.step();
            optimizer.ZeroGrad();
            reference.zero_grad();
        }

        for (int i = 0; i < ours.Values.Count; i++)
        {
            float diff = (ours.Values[i] - theirs.Values[i]).abs().max().item<float>();
            Assert.That(diff, Is.LessThan(1e-6f), $"{name}, parameter {i} after {Steps} steps");
        }
        float moved = (ours.Values[0] - Parameters(seed: 3).Values[0]).abs().max().item<float>();
        Assert.That(moved, Is.GreaterThan(1e-3f), "the parameters did move");
    }

    [Test]
    public void SavedStateResumesTheSameTrajectory()
    {
        using var straight = Parameters(seed: 5);
        using var resumed = Parameters(seed: 5);
        using var first = Ours("AdamW", straight, 0.02, 0.01, 0.9);
        using var second = Ours("AdamW", resumed, 0.02, 0.01, 0.9);
        for (int step = 0; step < 3; step++)
        {
            Backward(straight, step);
            first.Step();
            first.ZeroGrad();
            Backward(resumed, step);
            second.Step();
            second.ZeroGrad();
        }
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) second.Save(writer);
        using var restored = Ours("AdamW", resumed, 0.02, 0.01, 0.9);
        buffer.Position = 0;
        using (var reader = new BinaryReader(buffer)) restored.Load(reader, "memory");
        Assert.That(restored.Steps, Is.EqualTo(3));
        for (int step = 3; step < 6; step++)
        {
            Backward(straight, step);
            first.Step();
            first.ZeroGrad();
            Backward(resumed, step);
            restored.Step();
            restored.ZeroGrad();
        }
        for (int i = 0; i < straight.Values.Count; i++)
            Assert.That((straight.Values[i] - resumed.Values[i]).abs().max().item<float>(), Is.LessThan(1e-7f));
    }

    private static DetectorOptimizer Ours(string name, ParameterSet set, double lr, double weightDecay, double momentum)
    {
        ParameterGroup[] groups = [new("all", set.Values, lr, weightDecay, momentum)];
        return name switch
        {
            "SGD" => new SgdOptimizer(groups, nesterov: true),
            "Adam" => new AdamOptimizer(groups, decoupled: false),
            _ => new AdamOptimizer(groups, decoupled: true),
        };
    }

    private static optim.Optimizer Theirs(string name, ParameterSet set, double lr, double weightDecay, double momentum) => name switch
    {
        "SGD" => optim.SGD(set.Values, lr, momentum: momentum, weight_decay: weightDecay, nesterov: true),
        "Adam" => optim.Adam(set.Values, lr, beta1: momentum, beta2: 0.999, weight_decay: weightDecay),
        _ => optim.AdamW(set.Values, lr, beta1: momentum, beta2: 0.999, weight_decay: weightDecay),
    };

    /// <summary>A quadratic loss whose gradient changes from step to step.</summary>
    private static void Backward(ParameterSet set, int step)
    {
        using var scope = NewDisposeScope();
        var loss = zeros(1);
        foreach (var p in set.Values)
        {
            using var target = full_like(p, (0.1 * step) - 0.2);
            loss = loss + (p - target).pow(2).sum() + (p.sin() * (step + 1)).sum();
        }
        loss.backward();
    }

    private static ParameterSet Parameters(int seed)
    {
        using var generator = new Generator((ulong)seed);
        return new ParameterSet([
            new Parameter(randn([4, 3], generator: generator)),
            new Parameter(randn([5], generator: generator)),
        ]);
    }

    private sealed class ParameterSet(IReadOnlyList<Parameter> values) : IDisposable
    {
        public IReadOnlyList<Parameter> Values { get; } = values;

        public void Dispose()
        {
            foreach (var p in Values) p.Dispose();
        }
    }
}
