using DigitMl.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Training;

/// <summary>
/// Exponential moving average of a model's weights and buffers (the reference's ModelEMA): after each optimizer
/// step, ema = d * ema + (1 - d) * model with d = decay * (1 - exp(-updates / tau)), so early updates follow the
/// model closely and later ones average over about 1 / (1 - decay) steps. The EMA weights are validated and saved.
/// </summary>
public sealed class ModelEma : IDisposable
{
    private readonly (Tensor Ema, Tensor Source)[] _pairs;

    public ModelEma(YoloV8Model model, double decay = 0.9999, double tau = 2000, long updates = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        Decay = decay;
        Tau = tau;
        Updates = updates;
        Model = new YoloV8Model(model.Scale, model.NumClasses, model.RegMax, model.Orientations);
        var device = model.parameters().First().device;
        Model.to(device);
        Checkpoint.LoadStateDict(Model, model.state_dict(), "model");
        foreach (var p in Model.parameters()) p.requires_grad = false;
        Model.eval();
        var source = model.state_dict();
        _pairs = [.. Model.state_dict()
            .Where(kv => kv.Value.is_floating_point())
            .Select(kv => (kv.Value, source[kv.Key]))];
    }

    public YoloV8Model Model { get; }

    public double Decay { get; }

    public double Tau { get; }

    public long Updates { get; set; }

    /// <summary>The decay the next <see cref="Update"/> uses.</summary>
    public double NextDecay => Decay * (1 - Math.Exp(-(Updates + 1) / Tau));

    public void Update()
    {
        double d = NextDecay;
        Updates++;
        using var noGrad = no_grad();
        // explicit scalars disposed after the loop: an implicit double->Scalar temporary can be finalised while
        // the native call still uses it once the JIT optimises the caller
        using var decay = d.ToScalar();
        using var weight = (1 - d).ToScalar();
        foreach (var (ema, source) in _pairs)
        {
            using var detached = source.detach();
            ema.mul_(decay).add_(detached, alpha: weight);
        }
    }

    public void Dispose() => Model.Dispose();
}
