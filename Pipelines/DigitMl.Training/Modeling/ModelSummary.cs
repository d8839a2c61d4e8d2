using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// Size and cost of a YOLOv8 model: parameter count (of the built model) and GFLOPs for one image,
/// counted analytically as 2 x the multiply-adds of every convolution (the reference's convention;
/// batch norm, activations, pooling, upsampling and concatenation are not counted).
/// </summary>
public sealed record ModelSummary(YoloV8Scale Scale, int NumClasses, int Height, int Width, long Parameters, double GFlops, IReadOnlyList<LayerSummary> Layers)
{
    public static ModelSummary Compute(YoloV8Scale scale, int nc, int imgsz) => Compute(scale, nc, imgsz, imgsz);

    public static ModelSummary Compute(YoloV8Scale scale, int nc, int height, int width)
    {
        using var model = new YoloV8Model(scale, nc);
        return Compute(model, height, width);
    }

    public static ModelSummary Compute(YoloV8Model model, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (height <= 0 || width <= 0 || height % 32 != 0 || width % 32 != 0)
            throw new ArgumentException($"Image size must be a positive multiple of 32, got {height}x{width}.");
        var specs = YoloV8Architecture.Layers;
        var outputs = new FeatureShape[specs.Count];
        var layers = new List<LayerSummary>(specs.Count);
        var previous = new FeatureShape(3, height, width);
        for (int index = 0; index < specs.Count; index++)
        {
            var spec = specs[index];
            var inputs = spec.From.Select(f => f < 0 ? previous : outputs[f]).ToArray();
            var layer = model.Layers[index];
            var cost = layer.Cost(inputs);
            long parameters = ((nn.Module)layer).parameters().Sum(p => p.numel());
            int repeats = layer is C2f c2f ? c2f.M.Count : 1;
            layers.Add(new LayerSummary(index, spec.From, repeats, layer.TypeName, parameters, cost.Output, 2 * cost.MultiplyAdds / 1e9));
            previous = outputs[index] = cost.Output;
        }
        return new ModelSummary(model.Scale, model.NumClasses, height, width,
            layers.Sum(l => l.Parameters), layers.Sum(l => l.GFlops), layers);
    }

    public void Deconstruct(out long parameters, out double gflops)
    {
        parameters = Parameters;
        gflops = GFlops;
    }
}
