using DigitMl.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitMl.Training;

/// <summary>The optimizer chosen for a run and the hyperparameters it resolved to.</summary>
internal sealed record OptimizerChoice(optim.Optimizer Optimizer, string Name, double LearningRate, double WarmupBiasLr);

/// <summary>
/// Builds the optimizer as the reference does: three parameter groups, pg0 biases (no decay), pg1 conv/linear
/// weights (decay), pg2 normalisation weights (no decay). "auto" picks SGD (lr 0.01, momentum 0.9, Nesterov)
/// when the run has more than 10,000 iterations of the nominal batch, else AdamW with lr = 0.002 * 5 / (4 + nc)
/// (betas 0.9, 0.999) and no warmup bias lr.
/// </summary>
internal static class OptimizerFactory
{
    public static OptimizerChoice Build(YoloV8Model model, YoloV8TrainerOptions options, long iterations, double weightDecay)
    {
        var (biases, decayed, norms) = Groups(model);
        string name = options.Optimizer.ToUpperInvariant() switch
        {
            "SGD" => "SGD",
            "ADAMW" => "AdamW",
            _ => "auto",
        };
        double lr = options.Lr0, momentum = options.Momentum, warmupBiasLr = options.WarmupBiasLr;
        if (name == "auto")
        {
            double fitted = Math.Round(0.002 * 5 / (4 + model.NumClasses), 6);
            (name, lr, momentum) = iterations > 10_000 ? ("SGD", 0.01, 0.9) : ("AdamW", fitted, 0.9);
            warmupBiasLr = 0;
        }

        optim.Optimizer optimizer = name == "SGD"
            ? optim.SGD(
                [
                    new SGD.ParamGroup(biases, new SGD.Options { LearningRate = lr, weight_decay = 0 }),
                    new SGD.ParamGroup(decayed, new SGD.Options { LearningRate = lr, weight_decay = weightDecay }),
                    new SGD.ParamGroup(norms, new SGD.Options { LearningRate = lr, weight_decay = 0 }),
                ], lr, momentum: momentum, nesterov: true)
            : optim.AdamW(
                [
                    new AdamW.ParamGroup(biases, new AdamW.Options { LearningRate = lr, weight_decay = 0 }),
                    new AdamW.ParamGroup(decayed, new AdamW.Options { LearningRate = lr, weight_decay = weightDecay }),
                    new AdamW.ParamGroup(norms, new AdamW.Options { LearningRate = lr, weight_decay = 0 }),
                ], lr, beta1: momentum, beta2: 0.999, weight_decay: 0);
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
            else if (owner is BatchNorm2d or BatchNorm1d or LayerNorm or GroupNorm) norms.Add(parameter);
            else decayed.Add(parameter);
        }
        return (biases, decayed, norms);
    }
}
