using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// YOLOv8 detection model with the reference's layer numbering, so its state-dict names
/// (<c>model.0.conv.weight</c> ... <c>model.22.dfl.conv.weight</c>) match the reference's.
/// <see cref="forward"/> takes RGB images in 0..1 (<c>[B, 3, H, W]</c>, H and W multiples of 32)
/// and returns the three raw head maps; <see cref="Decode"/> turns them into boxes and scores.
/// </summary>
public sealed class YoloV8Model : nn.Module<Tensor, Tensor[]>
{
    public const int DefaultRegMax = 16;

    private readonly IYoloLayer[] _layers;

    /// <param name="orientations">1, or 4 for turn-aware classes (docs/orientation.md).</param>
    /// <param name="priorImageSize">training image size the class-bias prior of a fresh head is sized for.</param>
    public YoloV8Model(YoloV8Scale scale, int numClasses, int regMax = DefaultRegMax, int orientations = 1, int priorImageSize = 640) : base(nameof(YoloV8Model))
    {
        ArgumentNullException.ThrowIfNull(scale);
        Scale = scale;
        NumClasses = numClasses;
        RegMax = regMax;
        Orientations = orientations;
        var channels = YoloV8Architecture.OutputChannels(scale, numClasses * orientations, regMax);
        _layers = new IYoloLayer[YoloV8Architecture.Layers.Count];
        foreach (var spec in YoloV8Architecture.Layers)
        {
            long input = spec.Index == 0 ? 3 : channels[spec.Index - 1];
            _layers[spec.Index] = spec.Kind switch
            {
                LayerKind.Conv => new ConvBlock(input, channels[spec.Index], spec.Kernel, spec.Stride),
                LayerKind.C2f => new C2f(input, channels[spec.Index], scale.Repeats(spec.Repeats), spec.Shortcut),
                LayerKind.Sppf => new Sppf(input, channels[spec.Index], spec.Kernel),
                LayerKind.Upsample => new NearestUpsample(2),
                LayerKind.Concat => new Concat(),
                LayerKind.Detect => new DetectHead(numClasses, spec.From.Select(f => channels[f]).ToArray(), YoloV8Architecture.Strides.ToArray(), regMax, orientations, priorImageSize),
                _ => throw new InvalidOperationException($"Unknown layer kind {spec.Kind}."),
            };
        }
        Head = (DetectHead)_layers[^1];
        Model = nn.ModuleList(_layers.Cast<nn.Module>().ToArray());
        register_module("model", Model);
    }

    public YoloV8Scale Scale { get; }
    /// <summary>Classes of the dataset.</summary>
    public int NumClasses { get; }

    /// <summary>1, or 4 for turn-aware classes: the head then trains NumClasses * 4 classes.</summary>
    public int Orientations { get; }

    public int RegMax { get; }
    public long[] Strides => Head.Strides;

    /// <summary>The numbered layers (<c>model.0</c> .. <c>model.22</c>), in order.</summary>
    public IReadOnlyList<IYoloLayer> Layers => _layers;

    public static IReadOnlyList<LayerSpec> Specs => YoloV8Architecture.Layers;

    public DetectHead Head { get; }

    public ModuleList<nn.Module> Model { get; }

    // Sub-modules are registered explicitly under the reference's names in the constructor; the
    // default reflection-based registration would add the property backing fields a second time.
    protected override void RegisterComponents() { }

    public override Tensor[] forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != 3)
            throw new ArgumentException($"YoloV8Model expects images [B, 3, H, W], got [{string.Join(", ", input.shape)}].", nameof(input));
        long maxStride = Strides.Max();
        if (input.shape[2] % maxStride != 0 || input.shape[3] % maxStride != 0)
            throw new ArgumentException($"YoloV8Model: image height and width must be multiples of {maxStride}, got {input.shape[2]}x{input.shape[3]}.", nameof(input));

        using var scope = NewDisposeScope();
        var outputs = new Tensor[_layers.Length - 1];
        var previous = input;
        var specs = YoloV8Architecture.Layers;
        for (int index = 0; index < outputs.Length; index++)
        {
            var inputs = specs[index].From.Select(f => f < 0 ? previous : outputs[f]).ToArray();
            previous = outputs[index] = ((IGraphLayer)_layers[index]).Run(inputs);
        }
        var raw = Head.forward(specs[^1].From.Select(f => outputs[f]).ToArray());
        foreach (var map in raw)
            map.MoveToOuterDisposeScope();
        return raw;
    }

    /// <summary>Raw head maps to <c>[B, 4+nc, A]</c> (cx, cy, w, h in input pixels; sigmoid class scores).</summary>
    public Tensor Decode(Tensor[] raw) => Head.Decode(raw);

    /// <summary><see cref="forward"/> then <see cref="Decode"/>, disposing the raw maps.</summary>
    public Tensor Predict(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Decode(forward(images)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Freezes the parameters of layers <c>model.0</c> .. <c>model.(firstLayers-1)</c> and unfreezes the
    /// rest, except the DFL convolution, which is always frozen (as in the reference).
    /// </summary>
    public void Freeze(int firstLayers)
    {
        foreach (var (name, parameter) in named_parameters())
        {
            bool frozen = name.Contains(".dfl.", StringComparison.Ordinal) || LayerIndex(name) < firstLayers;
            parameter.requires_grad = !frozen;
        }
    }

    /// <summary>The layer number of a state-dict name such as <c>model.12.cv1.conv.weight</c>.</summary>
    public static int LayerIndex(string stateDictName)
    {
        ArgumentNullException.ThrowIfNull(stateDictName);
        var parts = stateDictName.Split('.');
        if (parts.Length < 2 || parts[0] != "model" || !int.TryParse(parts[1], out int index))
            throw new ArgumentException($"'{stateDictName}' is not a YOLOv8 state-dict name (model.N....).", nameof(stateDictName));
        return index;
    }
}
