using DigitMl.Export.Onnx;
using Onnx;

namespace DigitMl.Export;

/// <summary>
/// Writes the YOLOv8 detection graph from a state dict named as the reference names it
/// (<c>model.0.conv.weight</c>, <c>model.2.m.0.cv1.bn.running_var</c>, <c>model.22.cv3.2.2.bias</c>, ...).
/// Channel counts, kernel sizes, C2f repeats, the class count and reg_max are read from the tensor shapes,
/// so every scale (n..x, tiny) exports through the same code. BatchNorm is folded into the convolutions.
/// </summary>
internal sealed class YoloV8OnnxGraph
{
    public const string InputName = "images";
    public const string OutputName = "output0";
    public const string TurnsOutputName = "turns";
    public const int Opset = 17;

    // Layer roles of the reference's yolov8.yaml; they are fixed for every scale.
    private static readonly int[] StridedConvLayers = [0, 1, 3, 5, 7, 16, 19];
    private static readonly int[] BackboneC2fLayers = [2, 4, 6, 8];
    private static readonly long[] Strides = [8, 16, 32];

    private readonly IReadOnlyDictionary<string, WeightTensor> _weights;
    private readonly double _bnEpsilon;
    private readonly int _orientations;
    private readonly bool _dynamicSpatialAxes;
    private readonly OnnxGraphBuilder _g = new();

    private YoloV8OnnxGraph(IReadOnlyDictionary<string, WeightTensor> weights, double bnEpsilon, int orientations, bool dynamicSpatialAxes)
    {
        _weights = weights;
        _bnEpsilon = bnEpsilon;
        _orientations = orientations;
        _dynamicSpatialAxes = dynamicSpatialAxes;
    }

    /// <summary>
    /// Builds the graph. With <paramref name="dynamicSpatialAxes"/> the input is <c>[batch, 3, height, width]</c>
    /// (any multiple of 32) and the anchors are computed in the graph from the feature map shapes; otherwise it is
    /// fixed at <paramref name="imageSize"/> squared with constant anchors. With 4 <paramref name="orientations"/>
    /// the class branch holds <c>4 * nc</c> turn-major channels: <c>output0</c> carries the max over turns and a
    /// second output <c>turns</c> the per-turn scores (docs/orientation.md). <paramref name="classChannels"/> is
    /// the class branch's channel count (orientations * nc).
    /// </summary>
    public static GraphProto Build(
        IReadOnlyDictionary<string, WeightTensor> stateDict, int imageSize, double bnEpsilon, int orientations, bool dynamicSpatialAxes, out int classChannels)
    {
        if (imageSize <= 0 || imageSize % 32 != 0)
            throw new ArgumentException($"image size must be a positive multiple of 32, got {imageSize}", nameof(imageSize));
        if (orientations is not (1 or 4))
            throw new ArgumentOutOfRangeException(nameof(orientations), orientations, "orientations must be 1 (plain classes) or 4 (turn-aware)");
        var graph = new YoloV8OnnxGraph(stateDict, bnEpsilon, orientations, dynamicSpatialAxes);
        classChannels = graph.Write(imageSize);
        return graph._g.Graph;
    }

    private int Write(int imageSize)
    {
        IReadOnlyList<object> inputShape = _dynamicSpatialAxes ? ["batch", 3L, "height", "width"] : ["batch", 3L, (long)imageSize, (long)imageSize];
        _g.Graph.Input.Add(OnnxValueInfoProto.Tensor(InputName, inputShape));

        // Backbone.
        string x = ConvLayer(InputName, 0);
        x = ConvLayer(x, 1);
        x = C2f(x, 2);
        x = ConvLayer(x, 3);
        string p3 = C2f(x, 4);
        x = ConvLayer(p3, 5);
        string p4 = C2f(x, 6);
        x = ConvLayer(p4, 7);
        x = C2f(x, 8);
        string p5 = Sppf(x, 9);

        // Neck: top-down then bottom-up, as layers 10..21 of the reference.
        x = Upsample(p5, 10);
        x = Concat([x, p4], 1, "model.11");
        string h12 = C2f(x, 12);
        x = Upsample(h12, 13);
        x = Concat([x, p3], 1, "model.14");
        string out3 = C2f(x, 15);
        x = ConvLayer(out3, 16);
        x = Concat([x, h12], 1, "model.17");
        string out4 = C2f(x, 18);
        x = ConvLayer(out4, 19);
        x = Concat([x, p5], 1, "model.20");
        string out5 = C2f(x, 21);

        int numClasses = Detect([out3, out4, out5], imageSize);
        return numClasses;
    }

    private string ConvLayer(string input, int layer) =>
        ConvBnSilu(input, $"model.{layer}", Array.IndexOf(StridedConvLayers, layer) >= 0 ? 2 : 1);

    /// <summary>Conv (no bias) + BatchNorm + SiLU with the BatchNorm folded into the convolution weight and a bias.</summary>
    private string ConvBnSilu(string input, string prefix, int stride)
    {
        var weight = Weight($"{prefix}.conv.weight");
        var gamma = Weight($"{prefix}.bn.weight").Data;
        var beta = Weight($"{prefix}.bn.bias").Data;
        var mean = Weight($"{prefix}.bn.running_mean").Data;
        var variance = Weight($"{prefix}.bn.running_var").Data;

        int outChannels = (int)weight.Dim(0);
        int perChannel = weight.Data.Length / outChannels;
        var folded = new float[weight.Data.Length];
        var bias = new float[outChannels];
        for (int o = 0; o < outChannels; o++)
        {
            double scale = gamma[o] / Math.Sqrt(variance[o] + _bnEpsilon);
            for (int j = 0; j < perChannel; j++)
                folded[(o * perChannel) + j] = (float)(weight.Data[(o * perChannel) + j] * scale);
            bias[o] = (float)(beta[o] - (mean[o] * scale));
        }

        string conv = Conv(input, prefix, weight.Shape, folded, bias, stride);
        return Silu(conv, prefix);
    }

    private string PlainConv(string input, string prefix)
    {
        var weight = Weight($"{prefix}.weight");
        var bias = Weight($"{prefix}.bias");
        return Conv(input, prefix, weight.Shape, weight.Data, bias.Data, 1);
    }

    private string Conv(string input, string prefix, long[] shape, float[] weight, float[] bias, int stride)
    {
        long kh = shape[2], kw = shape[3];
        string w = _g.Constant($"{prefix}.weight", shape, weight);
        string b = _g.Constant($"{prefix}.bias", [shape[0]], bias);
        return _g.Node("Conv", prefix, [input, w, b],
            OnnxAttributeProto.Ints("dilations", 1, 1),
            OnnxAttributeProto.Int("group", 1),
            OnnxAttributeProto.Ints("kernel_shape", kh, kw),
            OnnxAttributeProto.Ints("pads", kh / 2, kw / 2, kh / 2, kw / 2),
            OnnxAttributeProto.Ints("strides", stride, stride));
    }

    // SiLU(x) = x * sigmoid(x): opset 17 has no SiLU operator; ONNX Runtime fuses this pair.
    private string Silu(string input, string prefix)
    {
        string sigmoid = _g.Node("Sigmoid", prefix, [input]);
        return _g.Node("Mul", prefix, [input, sigmoid]);
    }

    /// <summary>C2f: cv1, split in two halves, n bottlenecks chained on the last half, concat of all parts, cv2.</summary>
    private string C2f(string input, int layer)
    {
        string prefix = $"model.{layer}";
        bool shortcut = Array.IndexOf(BackboneC2fLayers, layer) >= 0;
        long hidden = Weight($"{prefix}.cv1.conv.weight").Dim(0) / 2;
        int repeats = 0;
        while (_weights.ContainsKey($"{prefix}.m.{repeats}.cv1.conv.weight")) repeats++;
        if (repeats == 0)
            throw new InvalidDataException($"state dict has no bottleneck weights under {prefix}.m.0");

        string y = ConvBnSilu(input, $"{prefix}.cv1", 1);
        string split = _g.ConstantInt64($"{prefix}.split", hidden, hidden);
        var halves = _g.NodeMulti("Split", prefix, [y, split], 2, OnnxAttributeProto.Int("axis", 1));
        var parts = new List<string> { halves[0], halves[1] };
        string last = halves[1];
        for (int i = 0; i < repeats; i++)
        {
            string bp = $"{prefix}.m.{i}";
            string b = ConvBnSilu(last, $"{bp}.cv1", 1);
            b = ConvBnSilu(b, $"{bp}.cv2", 1);
            last = shortcut ? _g.Node("Add", bp, [last, b]) : b;
            parts.Add(last);
        }

        string cat = Concat(parts, 1, prefix);
        return ConvBnSilu(cat, $"{prefix}.cv2", 1);
    }

    /// <summary>SPPF: cv1, three chained 5x5 stride-1 max-pools, concat of the four, cv2.</summary>
    private string Sppf(string input, int layer)
    {
        string prefix = $"model.{layer}";
        string y = ConvBnSilu(input, $"{prefix}.cv1", 1);
        var parts = new List<string> { y };
        for (int i = 0; i < 3; i++)
        {
            y = _g.Node("MaxPool", $"{prefix}.m", [y],
                OnnxAttributeProto.Ints("kernel_shape", 5, 5),
                OnnxAttributeProto.Ints("pads", 2, 2, 2, 2),
                OnnxAttributeProto.Ints("strides", 1, 1));
            parts.Add(y);
        }

        return ConvBnSilu(Concat(parts, 1, prefix), $"{prefix}.cv2", 1);
    }

    // Nearest x2 exactly as torch's nn.Upsample(mode="nearest"): source index = floor(dst / 2).
    private string Upsample(string input, int layer)
    {
        string scales = _g.Constant($"model.{layer}.scales", [4], [1f, 1f, 2f, 2f]);
        return _g.Node("Resize", $"model.{layer}", [input, "", scales],
            OnnxAttributeProto.String("coordinate_transformation_mode", "asymmetric"),
            OnnxAttributeProto.String("mode", "nearest"),
            OnnxAttributeProto.String("nearest_mode", "floor"));
    }

    private string Concat(IReadOnlyList<string> inputs, int axis, string stem) =>
        _g.Node("Concat", stem, inputs, OnnxAttributeProto.Int("axis", axis));

    /// <summary>
    /// Detect head in inference form: per level box (4*reg_max) and class (nc) branches, flattened and concatenated
    /// over levels, DFL expectation, distances to boxes around fixed anchor points, times the level stride,
    /// sigmoid class scores: output0 [batch, 4+nc, anchors] with cx, cy, w, h in input pixels.
    /// </summary>
    private int Detect(string[] levels, int imageSize)
    {
        const string prefix = "model.22";
        int classChannels = (int)Weight($"{prefix}.cv3.0.2.weight").Dim(0);
        if (classChannels % _orientations != 0)
            throw new InvalidDataException($"the class branch has {classChannels} channels, not a multiple of {_orientations} orientations");
        int numClasses = classChannels / _orientations;
        int boxChannels = (int)Weight($"{prefix}.cv2.0.2.weight").Dim(0);
        int regMax = boxChannels / 4;
        int outputs = boxChannels + classChannels;

        var flattened = new List<string>();
        string flatShape = _g.ConstantInt64($"{prefix}.flat_shape", 0, outputs, -1);
        for (int i = 0; i < levels.Length; i++)
        {
            string box = ConvBnSilu(levels[i], $"{prefix}.cv2.{i}.0", 1);
            box = ConvBnSilu(box, $"{prefix}.cv2.{i}.1", 1);
            box = PlainConv(box, $"{prefix}.cv2.{i}.2");
            string cls = ConvBnSilu(levels[i], $"{prefix}.cv3.{i}.0", 1);
            cls = ConvBnSilu(cls, $"{prefix}.cv3.{i}.1", 1);
            cls = PlainConv(cls, $"{prefix}.cv3.{i}.2");
            string level = Concat([box, cls], 1, $"{prefix}.level{i}");
            flattened.Add(_g.Node("Reshape", $"{prefix}.level{i}", [level, flatShape]));
        }

        string all = Concat(flattened, 2, prefix);
        string splitSizes = _g.ConstantInt64($"{prefix}.box_cls_split", boxChannels, classChannels);
        var boxCls = _g.NodeMulti("Split", prefix, [all, splitSizes], 2, OnnxAttributeProto.Int("axis", 1));

        // DFL: softmax over the reg_max bins of each side, expectation with the bin indices (the dfl conv weights).
        string binsShape = _g.ConstantInt64($"{prefix}.dfl.shape", 0, 4, regMax, -1);
        string bins = _g.Node("Reshape", $"{prefix}.dfl", [boxCls[0], binsShape]);
        string probabilities = _g.Node("Softmax", $"{prefix}.dfl", [bins], OnnxAttributeProto.Int("axis", 2));
        float[] projection = _weights.TryGetValue($"{prefix}.dfl.conv.weight", out var dfl)
            ? dfl.Data
            : Enumerable.Range(0, regMax).Select(v => (float)v).ToArray();
        string projectionName = _g.Constant($"{prefix}.dfl.conv.weight", [1, 1, regMax, 1], projection);
        string weighted = _g.Node("Mul", $"{prefix}.dfl", [probabilities, projectionName]);
        string reduceAxes = _g.ConstantInt64($"{prefix}.dfl.axes", 2);
        string distances = _g.Node("ReduceSum", $"{prefix}.dfl", [weighted, reduceAxes], OnnxAttributeProto.Int("keepdims", 0));

        // dist2bbox (xywh) in grid units, then scaled by each anchor's stride.
        string halfSplit = _g.ConstantInt64($"{prefix}.ltrb_split", 2, 2);
        var ltrb = _g.NodeMulti("Split", $"{prefix}.decode", [distances, halfSplit], 2, OnnxAttributeProto.Int("axis", 1));
        object anchors;
        string points, strideTensor;
        if (_dynamicSpatialAxes)
        {
            (points, strideTensor) = AnchorsFromShapes(levels, $"{prefix}.anchors");
            anchors = "anchors";
        }
        else
        {
            var (anchorPoints, strideValues) = MakeAnchors(imageSize);
            anchors = (long)strideValues.Length;
            points = _g.Constant($"{prefix}.anchors", [1, 2, strideValues.Length], anchorPoints);
            strideTensor = _g.Constant($"{prefix}.strides", [1, 1, strideValues.Length], strideValues);
        }

        string topLeft = _g.Node("Sub", $"{prefix}.decode", [points, ltrb[0]]);
        string bottomRight = _g.Node("Add", $"{prefix}.decode", [points, ltrb[1]]);
        string sum = _g.Node("Add", $"{prefix}.decode", [topLeft, bottomRight]);
        string two = _g.Constant($"{prefix}.two", [], [2f]);
        string center = _g.Node("Div", $"{prefix}.decode", [sum, two]);
        string size = _g.Node("Sub", $"{prefix}.decode", [bottomRight, topLeft]);
        string xywh = Concat([center, size], 1, $"{prefix}.decode");
        string boxes = _g.Node("Mul", $"{prefix}.decode", [xywh, strideTensor]);

        string scores = _g.Node("Sigmoid", prefix, [boxCls[1]]);
        string classScores = scores;
        if (_orientations > 1)
        {
            // turn-major channels t * nc + c: the score of class c is its best turn (Ultralytics-compatible output0)
            string perTurn = _g.Node("Reshape", $"{prefix}.turns", [scores, _g.ConstantInt64($"{prefix}.turns.shape", 0, _orientations, numClasses, -1)]);
            classScores = _g.Node("ReduceMax", $"{prefix}.turns", [perTurn], OnnxAttributeProto.Ints("axes", 1), OnnxAttributeProto.Int("keepdims", 0));
        }

        string output = Concat([boxes, classScores], 1, prefix);
        _g.Output(output, OutputName);
        _g.Graph.Output.Add(OnnxValueInfoProto.Tensor(OutputName, ["batch", (long)(4 + numClasses), anchors]));
        if (_orientations > 1)
        {
            _g.Output(scores, TurnsOutputName);
            _g.Graph.Output.Add(OnnxValueInfoProto.Tensor(TurnsOutputName, ["batch", (long)classChannels, anchors]));
        }

        return classChannels;
    }

    /// <summary>
    /// Anchor centres [1, 2, A] and strides [1, 1, A] computed from the feature maps' shapes, so the graph runs at
    /// any input size: per level, x = 0.5 .. w - 0.5 and y = 0.5 .. h - 0.5 (Range on the Shape values), row-major
    /// cells, levels in stride order: the same values and layout as <see cref="MakeAnchors"/>.
    /// </summary>
    private (string Points, string Strides) AnchorsFromShapes(string[] levels, string prefix)
    {
        string zero = _g.ConstantInt64Scalar($"{prefix}.zero", 0);
        string one = _g.ConstantInt64Scalar($"{prefix}.one", 1);
        string half = _g.Constant($"{prefix}.half", [], [0.5f]);
        string rowShape = _g.ConstantInt64($"{prefix}.row", 1, -1);
        string columnShape = _g.ConstantInt64($"{prefix}.column", -1, 1);
        var points = new List<string>();
        var strides = new List<string>();
        for (int i = 0; i < levels.Length; i++)
        {
            string p = $"{prefix}.level{i}";
            string shape = _g.Node("Shape", p, [levels[i]]);
            string height = _g.Node("Gather", p, [shape, _g.ConstantInt64Scalar($"{p}.h_index", 2)], OnnxAttributeProto.Int("axis", 0));
            string width = _g.Node("Gather", p, [shape, _g.ConstantInt64Scalar($"{p}.w_index", 3)], OnnxAttributeProto.Int("axis", 0));
            string gridShape = _g.Node("Slice", p, [shape, _g.ConstantInt64($"{p}.hw_start", 2), _g.ConstantInt64($"{p}.hw_end", 4)]);
            string xs = CellCentres(width, zero, one, half, p);
            string ys = CellCentres(height, zero, one, half, p);
            string gridX = _g.Node("Expand", p, [_g.Node("Reshape", p, [xs, rowShape]), gridShape]);
            string gridY = _g.Node("Expand", p, [_g.Node("Reshape", p, [ys, columnShape]), gridShape]);
            string flatX = _g.Node("Reshape", p, [gridX, rowShape]);
            string flatY = _g.Node("Reshape", p, [gridY, rowShape]);
            points.Add(Concat([flatX, flatY], 0, p));
            string stride = _g.Constant($"{p}.stride", [1, 1], [(float)Strides[i]]);
            strides.Add(_g.Node("Expand", p, [stride, _g.Node("Shape", p, [flatX])]));
        }

        string allPoints = _g.Node("Reshape", prefix, [Concat(points, 1, prefix), _g.ConstantInt64($"{prefix}.points_shape", 1, 2, -1)]);
        string allStrides = _g.Node("Reshape", prefix, [Concat(strides, 1, $"{prefix}.strides"), _g.ConstantInt64($"{prefix}.strides_shape", 1, 1, -1)]);
        return (allPoints, allStrides);
    }

    /// <summary>0.5, 1.5, ..., count - 0.5 as floats (count: an int64 scalar value).</summary>
    private string CellCentres(string count, string zero, string one, string half, string stem)
    {
        string range = _g.Node("Range", stem, [zero, count, one]);
        string asFloat = _g.Node("Cast", stem, [range], OnnxAttributeProto.Int("to", (long)global::Onnx.TensorProto.Types.DataType.Float));
        return _g.Node("Add", stem, [asFloat, half]);
    }

    /// <summary>
    /// Anchor centres (grid cell + 0.5, row-major per level, levels in stride order) laid out as [2, A]
    /// (x row then y row) and the stride of each anchor.
    /// </summary>
    internal static (float[] Points, float[] Strides) MakeAnchors(int imageSize)
    {
        int total = Strides.Sum(s => (int)((imageSize / s) * (imageSize / s)));
        var points = new float[2 * total];
        var strides = new float[total];
        int a = 0;
        foreach (long stride in Strides)
        {
            int cells = (int)(imageSize / stride);
            for (int y = 0; y < cells; y++)
            {
                for (int x = 0; x < cells; x++, a++)
                {
                    points[a] = x + 0.5f;
                    points[total + a] = y + 0.5f;
                    strides[a] = stride;
                }
            }
        }

        return (points, strides);
    }

    private WeightTensor Weight(string name) =>
        _weights.TryGetValue(name, out var tensor)
            ? tensor
            : throw new InvalidDataException($"state dict has no tensor '{name}' (expected YOLOv8 names as the reference writes them)");
}
