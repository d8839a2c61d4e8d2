using DigitMl.Scoring;
using System.Globalization;
using System.Reflection;
using Google.Protobuf;
using Onnx;
using DigitMl.Modeling;
using static TorchSharp.torch;

namespace DigitMl.Export;

/// <summary>
/// Writes a trained YOLOv8 detector as a standalone ONNX model in the reference exporter's layout:
/// input <c>images</c> [batch, 3, height, width] float RGB 0..1 (dynamic spatial axes by default, or fixed at
/// imgsz), output <c>output0</c> [batch, 4+nc, anchors] (cx, cy, w, h in input pixels, then sigmoid class scores),
/// plus <c>turns</c> [batch, 4*nc, anchors] for turn-aware models, opset 17, and the reference's metadata
/// properties (names, imgsz, stride, task, batch) plus ours (version, config_hash, orientations).
/// </summary>
public static partial class OnnxExporter
{
    /// <summary>BatchNorm epsilon of the reference's Conv blocks.</summary>
    public const double DefaultBatchNormEpsilon = 1e-3;

    /// <summary>
    /// Exports a TorchSharp model (its current weights; BatchNorm running statistics are folded in). The model's own
    /// orientations (turn-aware or plain) decide the graph's outputs, whatever <paramref name="metadata"/> says.
    /// </summary>
    public static void Export(YoloV8Model model, string path, OnnxExportMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        ExportStateDict(ReadStateDict(model), path, metadata with { Orientations = model.Orientations }, ConvBlock.BatchNormEps);
    }

    /// <summary>Copies a model's state dict out of TorchSharp as float32 arrays keyed by the reference's names.</summary>
    public static Dictionary<string, WeightTensor> ReadStateDict(YoloV8Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (!tensor.is_floating_point()) continue; // BatchNorm's num_batches_tracked
            var values = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
            result[name] = new WeightTensor(values.shape.ToArray(), values.data<float>().ToArray());
        }

        return result;
    }

    /// <summary>Exports from a state dict named as the reference names it (see <see cref="YoloV8OnnxGraph"/>).</summary>
    public static void ExportStateDict(IReadOnlyDictionary<string, WeightTensor> stateDict, string path, OnnxExportMetadata metadata, double batchNormEpsilon = DefaultBatchNormEpsilon)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentException.ThrowIfNullOrEmpty(path);

        var graph = YoloV8OnnxGraph.Build(stateDict, metadata.ImageSize, batchNormEpsilon, metadata.Orientations, metadata.DynamicSpatialAxes, out int classChannels);
        if (metadata.Names.Count * metadata.Orientations != classChannels)
        {
            string hint = metadata.Orientations == 1 && classChannels == 4 * metadata.Names.Count
                ? " (a turn-aware model: export it with Orientations = 4)"
                : "";
            throw new ArgumentException(
                $"metadata has {metadata.Names.Count} class names x {metadata.Orientations} orientation(s) but the model's class branch has {classChannels} channels{hint}",
                nameof(metadata));
        }

        string version = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "DigitMl",
            ProducerVersion = version,
            DocString = metadata.Description,
            Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = YoloV8OnnxGraph.Opset } },
        };
        void Add(string key, string value) => model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        Add("description", metadata.Description);
        Add("author", "DigitMl");
        Add("date", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        Add("version", version);
        Add("stride", "32");
        Add("task", "detect");
        Add("batch", metadata.Batch.ToString(CultureInfo.InvariantCulture));
        Add("imgsz", OnnxMetadataFormat.FormatImageSize(metadata.ImageSize, metadata.ImageSize));
        Add("names", OnnxMetadataFormat.FormatNames(metadata.Names));
        Add("orientations", metadata.Orientations.ToString(CultureInfo.InvariantCulture));
        if (metadata.ConfigHash is not null) Add("config_hash", metadata.ConfigHash);

        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp";
        File.WriteAllBytes(temporary, model.ToByteArray());
        File.Move(temporary, full, overwrite: true);
    }
}
