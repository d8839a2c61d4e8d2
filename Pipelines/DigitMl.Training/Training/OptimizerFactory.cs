using DigitMl.Modeling;
using DigitMl.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitMl.Training;

/// <summary>The optimizer chosen for a run and the hyperparameters it resolved to.</summary>
internal sealed record OptimizerChoice(DetectorOptimizer Optimizer, string Name, double LearningRate, double WarmupBiasLr);

/// <summary>
/// Builds the optimizer as the reference does: three parameter groups, pg0 biases (no decay), pg1 conv/linear
/// weights (decay), pg2 normalisation weights (no decay). "auto" picks SGD (lr 0.01, momentum 0.9, Nesterov)
/// when the run has more than 10,000 iterations of the nominal batch, else AdamW with lr = 0.002 * 5 / (4 + nc)
/// (betas 0.9, 0.999) and no warmup bias lr. SGD is Nesterov SGD; Adam and AdamW use beta1 = momentum.
/// </summary>
internal static class OptimizerFactory
{
    public static OptimizerChoice Build(YoloV8Model model, YoloV8TrainerOptions options, long iterations, double weightDecay)
    {
        var (biases, decayed, norms) = Groups(model);
        string name = options.Optimizer.ToUpperInvariant() switch
        {
            "SGD" => "SGD",
            "ADAM" => "Adam",
            "ADAMW" => "AdamW",
            "AUTO" => "auto",
            _ => throw new ArgumentException($"optimizer '{options.Optimizer}': expected auto, SGD, Adam or AdamW"),
        };
        double lr = options.Lr0, momentum = options.Momentum, warmupBiasLr = options.WarmupBiasLr;
        if (name == "auto")
        {
            double fitted = Math.Round(0.002 * 5 / (4 + model.NumClasses), 6);
            (name, lr, momentum) = iterations > 10_000 ? ("SGD", 0.01, 0.9) : ("AdamW", fitted, 0.9);
            warmupBiasLr = 0;
        }

        ParameterGroup[] groups =
        [
            new("biases", biases, lr, 0, momentum),
            new("weights", decayed, lr, weightDecay, momentum),
            new("norms", norms, lr, 0, momentum),
        ];
        DetectorOptimizer optimizer = name switch
        {
            "SGD" => new SgdOptimizer(groups, nesterov: true),
            "Adam" => new AdamOptimizer(groups, decoupled: false),
            _ => new AdamOptimizer(groups, decoupled: true),
        };
        return new OptimizerChoice(optimizer, name, lr, warmupBiasLr);
    }

    /// <summary>Parameters by role: names containing "bias"; weights of normalisation modules; all other weights.</summary>
    public static (List<Parameter> Biases, List<Parameter> Decayed, List<Parameter> Norms) Groups(nn.Module model)
    {
        var biases = new List<Parameter>();
        var decayed = new List<Parameter>();
        var norms = new List<Parameter>();
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        foreach (var (name, parameter) in model.named_parameters())
        {
            int dot = name.LastIndexOf('.');
            var owner = dot < 0 ? model : modules.GetValueOrDefault(name[..dot]);
            if (name.Contains("bias", StringComparison.Ordinal)) biases.Add(parameter);
            else if (owner is BatchNorm or LayerNorm or GroupNorm) norms.Add(parameter);
            else decayed.Add(parameter);
        }
        return (biases, decayed, norms);
    }
}
