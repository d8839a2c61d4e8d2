using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// The reference's decoupled <c>Detect</c> head: per level a box branch <c>cv2</c> (two 3x3 convs,
/// 1x1 conv to 4*RegMax distance logits) and a class branch <c>cv3</c> (two 3x3 convs, 1x1 conv to
/// nc logits), plus the <see cref="Dfl"/> integral used when decoding.
/// </summary>
public sealed class DetectHead : nn.Module<Tensor[], Tensor[]>, IYoloLayer
{
    /// <param name="numClasses">classes of the dataset.</param>
    /// <param name="orientations">1, or 4 for turn-aware classes (docs/orientation.md): the class branch then has
    /// 4 * numClasses outputs, turn-major.</param>
    /// <param name="priorImageSize">the training image size the class-bias prior is sized for.</param>
    public DetectHead(int numClasses, IReadOnlyList<long> inChannels, IReadOnlyList<long> strides, int regMax = 16, int orientations = 1, int priorImageSize = 640)
        : base(nameof(DetectHead))
    {
        if (numClasses < 1)
            throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "A detector needs at least one class.");
        if (orientations is not (1 or 4))
            throw new ArgumentOutOfRangeException(nameof(orientations), orientations, "orientations is 1 (plain classes) or 4 (turn-aware classes)");
        NumClasses = numClasses;
        Orientations = orientations;
        RegMax = regMax;
        PriorImageSize = priorImageSize;
        InChannels = inChannels.ToArray();
        Strides = strides.ToArray();
        BoxChannels = Math.Max(Math.Max(16, InChannels[0] / 4), regMax * 4);
        ClassChannels = Math.Max(InChannels[0], Math.Min(HeadClasses, 100));

        var boxBranches = new List<Sequential>();
        var classBranches = new List<Sequential>();
        foreach (long channels in InChannels)
        {
            boxBranches.Add(Branch(channels, BoxChannels, 4L * regMax));
            classBranches.Add(Branch(channels, ClassChannels, HeadClasses));
        }
        Cv2 = nn.ModuleList(boxBranches.ToArray());
        Cv3 = nn.ModuleList(classBranches.ToArray());
        Dfl = new Dfl(regMax);
        register_module("cv2", Cv2);
        register_module("cv3", Cv3);
        register_module("dfl", Dfl);
        InitialiseBiases();
    }

    /// <summary>Classes of the dataset (what detections are labelled with).</summary>
    public int NumClasses { get; }

    /// <summary>1, or 4 for turn-aware classes.</summary>
    public int Orientations { get; }

    /// <summary>Outputs of the class branch: NumClasses * Orientations (the classes the loss trains).</summary>
    public int HeadClasses => NumClasses * Orientations;

    /// <summary>Training image size the class-bias prior assumes.</summary>
    public int PriorImageSize { get; }

    public int RegMax { get; }
    public long[] InChannels { get; }
    public long[] Strides { get; }
    public long BoxChannels { get; }
    public long ClassChannels { get; }

    /// <summary>Channels of each raw output map: 4*RegMax distance logits then the head's class logits.</summary>
    public long Outputs => 4L * RegMax + HeadClasses;

    public ModuleList<Sequential> Cv2 { get; }
    public ModuleList<Sequential> Cv3 { get; }
    public Dfl Dfl { get; }

    public string TypeName => "Detect";

    /// <summary>The last 1x1 convolution of the box branch of <paramref name="level"/>.</summary>
    public Conv2d BoxOutput(int level) => (Conv2d)Cv2[level].children().Last();

    /// <summary>The last 1x1 convolution of the class branch of <paramref name="level"/>.</summary>
    public Conv2d ClassOutput(int level) => (Conv2d)Cv3[level].children().Last();

    /// <summary>
    /// The reference's bias prior, sized for the training images: box logits start at 1; class logits at
    /// log(5 / nc / (imgsz/stride)^2), about five objects expected per image (the reference assumes 640 px images,
    /// which at 160 px would start every class score 16 times too low).
    /// </summary>
    public void InitialiseBiases()
    {
        using var guard = no_grad();
        for (int level = 0; level < Strides.Length; level++)
            InitialiseClassBias(level);
        for (int level = 0; level < Strides.Length; level++)
            BoxOutput(level).bias!.fill_(Scalars.One);
    }

    /// <summary>Fresh random weights and the bias prior for the class output of <paramref name="level"/> (new classes).</summary>
    public void ReinitialiseClassOutput(int level)
    {
        ClassOutput(level).reset_parameters();
        InitialiseClassBias(level);
    }

    private void InitialiseClassBias(int level)
    {
        using var guard = no_grad();
        using var prior = Math.Log(5.0 / HeadClasses / Math.Pow((double)PriorImageSize / Strides[level], 2)).ToScalar();
        ClassOutput(level).bias!.fill_(prior);
    }

    /// <summary>Raw maps <c>[B, 4*RegMax+nc, H/s, W/s]</c>, one per level.</summary>
    // Sub-modules are registered explicitly under the reference's names in the constructor; the
    // default reflection-based registration would add the property backing fields a second time.
    protected override void RegisterComponents() { }

    public override Tensor[] forward(Tensor[] input)
    {
        var outputs = new Tensor[Strides.Length];
        for (int level = 0; level < outputs.Length; level++)
        {
            using var box = RunBranch(Cv2[level], input[level]);
            using var cls = RunBranch(Cv3[level], input[level]);
            outputs[level] = cat([box, cls], 1);
        }
        return outputs;
    }

    /// <summary>A branch layer by layer: its last 1x1 convolution runs in the input's dtype (<see cref="MixedPrecision"/>).</summary>
    private static Tensor RunBranch(Sequential branch, Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = input;
        foreach (var layer in branch.children())
            hidden = layer switch
            {
                ConvBlock block => block.forward(hidden),
                Conv2d conv => MixedPrecision.Conv(conv, hidden),
                _ => throw new InvalidOperationException($"unexpected layer {layer.GetType().Name} in a Detect branch"),
            };
        return hidden.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Raw maps to <c>[B, 4+nc, A]</c>: (cx, cy, w, h) in input pixels and sigmoid class scores,
    /// anchors ordered level by level, row-major (the layout of the reference's ONNX <c>output0</c>). With turn-aware
    /// classes the score of class c is the max over the turns of c (docs/orientation.md).
    /// </summary>
    public Tensor Decode(Tensor[] raw)
    {
        using var scope = NewDisposeScope();
        var (boxes, scores) = DecodeParts(raw);
        if (Orientations > 1)
            scores = scores.view(scores.shape[0], Orientations, NumClasses, scores.shape[2]).amax([1]);
        return cat([boxes, scores], 1).MoveToOuterDisposeScope();
    }

    /// <summary>Sigmoid scores of the head's classes <c>[B, NumClasses * Orientations, A]</c>, turn-major.</summary>
    public Tensor DecodeTurnScores(Tensor[] raw)
    {
        using var scope = NewDisposeScope();
        return DecodeParts(raw).Scores.MoveToOuterDisposeScope();
    }

    private (Tensor Boxes, Tensor Scores) DecodeParts(Tensor[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.Length != Strides.Length)
            throw new ArgumentException($"Decode expects {Strides.Length} raw maps, got {raw.Length}.", nameof(raw));
        long batch = raw[0].shape[0];
        var flat = cat(raw.Select(r => r.view(batch, Outputs, -1)).ToArray(), 2);
        var (anchorPoints, strideTensor) = Anchors.Make(raw, Strides);
        var distances = Dfl.forward(flat.narrow(1, 0, 4L * RegMax));
        var boxes = BoxDistances.ToXywh(distances, anchorPoints.t().unsqueeze(0), dim: 1) * strideTensor.t();
        var scores = flat.narrow(1, 4L * RegMax, HeadClasses).sigmoid();
        return (boxes, scores);
    }

    public LayerCost Cost(IReadOnlyList<FeatureShape> inputs)
    {
        double macs = 0;
        long anchors = 0;
        for (int level = 0; level < inputs.Count; level++)
        {
            var input = inputs[level];
            long cells = input.Height * input.Width;
            anchors += cells;
            macs += BranchMultiplyAdds(input, BoxChannels, 4L * RegMax) + BranchMultiplyAdds(input, ClassChannels, HeadClasses);
        }
        macs += (double)RegMax * 4 * anchors;
        return new LayerCost(new FeatureShape(4 + NumClasses, 1, anchors), macs);
    }

    private static double BranchMultiplyAdds(FeatureShape input, long hidden, long outputs)
    {
        double cells = input.Height * input.Width;
        return cells * (9.0 * input.Channels * hidden + 9.0 * hidden * hidden + (double)hidden * outputs);
    }

    private static Sequential Branch(long inChannels, long hidden, long outputs) =>
        nn.Sequential(
            ("0", new ConvBlock(inChannels, hidden, 3)),
            ("1", new ConvBlock(hidden, hidden, 3)),
            ("2", nn.Conv2d(hidden, outputs, 1)));
}
