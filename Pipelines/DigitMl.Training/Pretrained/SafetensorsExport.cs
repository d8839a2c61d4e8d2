using System.Globalization;
using System.Text.Json;
using DigitMl.Modeling;
using DigitMl.Training;
using static TorchSharp.torch;

namespace DigitMl.Pretrained;

/// <summary>
/// Writes a checkpoint's inference weights (EMA when present) as a safetensors file with the reference's state-dict
/// names, the file Ultralytics' own weights convert to and that <c>--init</c> reads. Floating-point tensors are stored
/// as <see cref="ScalarType.Float16"/> with <c>fp16</c> (half the size; the model is trained and run in float32, and
/// fp16 keeps 11 significant bits), integer ones (BatchNorm's num_batches_tracked) as they are. The file describes
/// itself in <c>__metadata__</c>: class names, orientations, scale, image size, epoch.
/// </summary>
public static class SafetensorsExport
{
    /// <summary>__metadata__ keys DigitMl writes and reads (all values are strings, as the format requires).</summary>
    public static class MetadataKeys
    {
        public const string Format = "format";
        public const string Producer = "producer";
        public const string Names = "names";
        public const string Orientations = "orientations";
        public const string Scale = "scale";
        public const string ImageSize = "imgsz";
        public const string Epoch = "epoch";
    }

    public static SafetensorsExportResult Write(string checkpointPath, string outputPath, bool fp16)
    {
        ArgumentNullException.ThrowIfNull(checkpointPath);
        ArgumentNullException.ThrowIfNull(outputPath);
        var info = Checkpoint.ReadInfo(checkpointPath);
        var weights = Checkpoint.ReadStoredWeights(checkpointPath);
        var tensors = weights.Values.Select(t => fp16 && IsFloat(t.DType) ? Convert(t, ScalarType.Float16) : t).ToList();
        SafetensorsWriter.Write(outputPath, tensors, Metadata(info));
        return new SafetensorsExportResult(Path.GetFullPath(outputPath), info, tensors.Count, new FileInfo(outputPath).Length);
    }

    /// <summary>The __metadata__ of a file exported from a checkpoint with <paramref name="info"/>.</summary>
    public static Dictionary<string, string> Metadata(CheckpointInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [MetadataKeys.Format] = "pt",
            [MetadataKeys.Producer] = "DigitMl",
            [MetadataKeys.Names] = JsonSerializer.Serialize(info.Names),
            [MetadataKeys.Orientations] = info.Orientations.ToString(CultureInfo.InvariantCulture),
            [MetadataKeys.Scale] = info.Scale.Name,
            [MetadataKeys.ImageSize] = info.ImageSize.ToString(CultureInfo.InvariantCulture),
            [MetadataKeys.Epoch] = info.Epoch.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Class names and orientations a safetensors file's metadata records (null names when it records none).</summary>
    public static (IReadOnlyList<string>? Names, int Orientations) ClassesOf(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string[]? names = null;
        if (metadata.TryGetValue(MetadataKeys.Names, out var json))
        {
            try
            {
                names = JsonSerializer.Deserialize<string[]>(json);
            }
            catch (JsonException)
            {
                names = null;
            }
        }
        int orientations = metadata.TryGetValue(MetadataKeys.Orientations, out var o) && int.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 1;
        return (names, orientations);
    }

    private static bool IsFloat(ScalarType dtype) => dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16 or ScalarType.Float16;

    private static StoredTensor Convert(StoredTensor stored, ScalarType dtype)
    {
        using var tensor = stored.ToTensor();
        return StoredTensor.From(stored.Name, tensor, dtype);
    }
}

/// <summary>What <see cref="SafetensorsExport.Write"/> wrote.</summary>
public sealed record SafetensorsExportResult(string Path, CheckpointInfo Info, int Tensors, long Bytes);
