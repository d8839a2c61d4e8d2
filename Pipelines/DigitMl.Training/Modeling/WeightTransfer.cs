using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// Transfer learning: copies weights from a file into a model, entry by entry, matched by
/// state-dict name and shape. Accepts the file TorchSharp's <c>Module.save</c> writes and
/// safetensors files with the reference's names (e.g. converted Ultralytics weights; F32, F16,
/// BF16 and I64 tensors are converted to the model's element types).
/// </summary>
public static partial class WeightTransfer
{
    public static WeightTransferReport LoadInto(YoloV8Model model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Weights file not found: {path}", path);
        return LoadInto(model, ReadWeights(path), path);
    }

    /// <summary>
    /// Reads a weights file, told apart by content: safetensors, a PyTorch <c>torch.save</c> file (an Ultralytics
    /// checkpoint such as yolov8n.pt, a pickled module or a state dict), or a TorchSharp state dict.
    /// </summary>
    public static IReadOnlyDictionary<string, StoredTensor> ReadWeights(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Span<byte> prefix = stackalloc byte[9];
        long length;
        using (var stream = File.OpenRead(path))
        {
            length = stream.Length;
            prefix = prefix[..stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false)];
        }
        if (SafetensorsReader.LooksLikeSafetensors(prefix, length))
            return SafetensorsReader.Read(path);
        if (UltralyticsCheckpointReader.LooksLikeTorchSave(prefix))
            return UltralyticsCheckpointReader.Read(path).Weights;
        return TorchSharpStateDictReader.Read(path);
    }

    public static WeightTransferReport LoadInto(YoloV8Model model, IReadOnlyDictionary<string, StoredTensor> weights, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weights);
        var loaded = new List<string>();
        var skipped = new List<ShapeMismatch>();
        var reinitialised = new List<string>();
        var missing = new List<string>();
        var classLevels = new SortedSet<int>();
        var targets = model.state_dict();

        using (no_grad())
        {
            foreach (var (name, target) in targets)
            {
                if (!weights.TryGetValue(name, out var stored))
                {
                    missing.Add(name);
                    continue;
                }
                if (!stored.Shape.SequenceEqual(target.shape))
                {
                    skipped.Add(new ShapeMismatch(name, target.shape, stored.Shape));
                    if (ClassOutputLevel(name) is int level)
                    {
                        reinitialised.Add(name);
                        classLevels.Add(level);
                    }
                    continue;
                }
                using var fromFile = stored.ToTensor();
                using var converted = fromFile.to(target.dtype, target.device);
                target.copy_(converted);
                loaded.Add(name);
            }
        }

        if (loaded.Count == 0)
            throw new InvalidDataException($"{source}: none of its {weights.Count} tensors matches the model by name and shape " +
                $"(first names: {string.Join(", ", weights.Keys.Take(3))}); is it a YOLOv8 weights file?");

        foreach (int level in classLevels)
            model.Head.ReinitialiseClassOutput(level);

        var unexpected = weights.Keys.Where(k => !targets.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        return new WeightTransferReport(source, loaded, skipped, reinitialised, missing, unexpected);
    }

    /// <summary>The level of a class-branch output tensor (<c>model.22.cv3.L.2.weight|bias</c>), else null.</summary>
    public static int? ClassOutputLevel(string name)
    {
        var match = ClassOutputName().Match(name);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^model\.22\.cv3\.(\d+)\.2\.(weight|bias)$")]
    private static partial Regex ClassOutputName();
}
