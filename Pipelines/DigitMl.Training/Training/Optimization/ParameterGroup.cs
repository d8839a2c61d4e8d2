using TorchSharp.Modules;

namespace DigitMl.Training.Optimization;

/// <summary>
/// Parameters that share a learning rate, weight decay and momentum (the reference's three groups: biases,
/// decayed weights, normalisation weights). The trainer changes <see cref="LearningRate"/> and
/// <see cref="Momentum"/> during warmup and decay; <see cref="InitialLearningRate"/> stays what the group began with.
/// </summary>
public sealed class ParameterGroup(string name, IReadOnlyList<Parameter> parameters, double learningRate, double weightDecay, double momentum)
{
    public string Name { get; } = name;

    public IReadOnlyList<Parameter> Parameters { get; } = parameters;

    public double InitialLearningRate { get; } = learningRate;

    public double LearningRate { get; set; } = learningRate;

    public double WeightDecay { get; } = weightDecay;

    /// <summary>SGD momentum, or Adam's beta1.</summary>
    public double Momentum { get; set; } = momentum;
}
