using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace DigitMl.Scoring;

/// <summary>
/// What scoring reads from a YOLOv8 ONNX detector: the training size (metadata <c>imgsz</c>, else the fixed input
/// size, else 640), class names (metadata <c>names</c>), whether the spatial axes are dynamic (any multiple of 32
/// runs) or fixed, and the orientations (metadata <c>orientations</c>, missing = 1; 4 = turn-aware with a
/// <c>turns</c> output, docs/orientation.md).
/// </summary>
public sealed record OnnxModelInfo(int ImageSize, IReadOnlyList<string> Names, int Outputs, int Anchors)
{
    public const string TurnsOutput = "turns";

    /// <summary>1 (plain) or 4 (turn-aware).</summary>
    public int Orientations { get; init; } = 1;

    /// <summary>True when the input's height and width are symbolic: the model runs at any multiple of 32.</summary>
    public bool DynamicSpatialAxes { get; init; }

    /// <summary>The fixed input height and width (0 when dynamic).</summary>
    public int InputHeight { get; init; }

    public int InputWidth { get; init; }

    public bool IsTurnAware => Orientations > 1;

    public static OnnxModelInfo Read(string onnxPath)
    {
        if (!File.Exists(onnxPath))
            throw new FileNotFoundException($"{onnxPath}: ONNX model not found", onnxPath);
        InferenceSession session;
        try
        {
            session = new InferenceSession(onnxPath);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{onnxPath}: not a loadable ONNX model ({e.Message.Split('\n')[0]})", e);
        }

        using (session)
            return Read(session, onnxPath);
    }

    /// <summary>Reads the information of an open session; <paramref name="source"/> names the model in errors.</summary>
    public static OnnxModelInfo Read(InferenceSession session, string source)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.InputMetadata.TryGetValue(ScoringColumns.OnnxInput, out var input) || input.Dimensions.Length != 4)
            throw new InvalidDataException($"{source}: expected an input 'images' [batch, 3, h, w] (a YOLOv8 detection export)");
        if (!session.OutputMetadata.TryGetValue(ScoringColumns.OnnxOutput, out var output) || output.Dimensions.Length != 3 || output.Dimensions[1] <= 4)
            throw new InvalidDataException($"{source}: expected an output 'output0' [batch, 4+nc, anchors] (a YOLOv8 detection export)");
        var meta = session.ModelMetadata.CustomMetadataMap;
        int classes = output.Dimensions[1] - 4;
        IReadOnlyList<string> names = meta.TryGetValue("names", out var namesText)
            ? OnnxMetadataFormat.ParseNames(namesText)
            : Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        if (names.Count != classes)
            throw new InvalidDataException($"{source}: metadata names {names.Count} classes but output0 has {classes}");

        int height = input.Dimensions[2], width = input.Dimensions[3];
        bool dynamic = height <= 0 || width <= 0;
        int imageSize = meta.TryGetValue("imgsz", out var imgsz) && ParseImageSize(imgsz) is { } trained ? trained
            : !dynamic ? height
            : 640;

        int orientations = 1;
        if (meta.TryGetValue("orientations", out var orientationsText)
            && (!int.TryParse(orientationsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out orientations) || orientations is not (1 or 4)))
            throw new InvalidDataException($"{source}: metadata orientations '{orientationsText}' is not 1 or 4");
        if (orientations > 1)
        {
            if (!session.OutputMetadata.TryGetValue(TurnsOutput, out var turns) || turns.Dimensions.Length != 3 || turns.Dimensions[1] != orientations * classes)
                throw new InvalidDataException($"{source}: a turn-aware model (orientations {orientations}) needs an output '{TurnsOutput}' [batch, {orientations * classes}, anchors]");
        }

        return new OnnxModelInfo(imageSize, names, output.Dimensions[1], output.Dimensions[2])
        {
            Orientations = orientations,
            DynamicSpatialAxes = dynamic,
            InputHeight = dynamic ? 0 : height,
            InputWidth = dynamic ? 0 : width,
        };
    }

    /// <summary>The first value of an <c>imgsz</c> entry such as <c>[160, 160]</c> or <c>160</c>; null when unreadable.</summary>
    internal static int? ParseImageSize(string text)
    {
        var digits = text.Trim().TrimStart('[').Split([',', ']'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return digits.Length > 0 && int.TryParse(digits[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int size) && size > 0 ? size : null;
    }
}
