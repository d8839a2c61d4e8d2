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

    public static WeightTransferReport LoadInto(YoloV8Model model, IReadOnlyDictionary<string, StoredTensor> weights, string source) =>
        LoadInto(model, weights, source, null);

    /// <param name="classes">what is known about the classes of the file and the model; when both have the same names
    /// and one is turn-aware (docs/orientation.md), the class outputs are mapped instead of re-initialised.</param>
    public static WeightTransferReport LoadInto(YoloV8Model model, IReadOnlyDictionary<string, StoredTensor> weights, string source, ClassCorrespondence? classes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weights);
        var loaded = new List<string>();
        var skipped = new List<ShapeMismatch>();
        var reinitialised = new List<string>();
        var adapted = new List<AdaptedTensor>();
        var missing = new List<string>();
        var classLevels = new SortedSet<int>();
        var targets = model.state_dict();
        var adaptableLevels = AdaptableLevels(model, weights, classes);

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
                    if (ClassOutputLevel(name) is int level)
                    {
                        if (adaptableLevels.Contains(level))
                        {
                            CopyClassRows(target, stored, model.NumClasses);
                            adapted.Add(new AdaptedTensor(name, target.shape, stored.Shape, DescribeMapping(classes!.FileOrientations, model.Orientations)));
                            continue;
                        }
                        reinitialised.Add(name);
                        classLevels.Add(level);
                    }
                    skipped.Add(new ShapeMismatch(name, target.shape, stored.Shape));
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
        return new WeightTransferReport(source, loaded, skipped, reinitialised, missing, unexpected) { Adapted = adapted };
    }

    /// <summary>
    /// Levels whose class output (weight and bias) can be mapped row by row: the same class names on both sides,
    /// one side plain and the other turn-aware, and the same input width of the output convolution.
    /// </summary>
    private static HashSet<int> AdaptableLevels(YoloV8Model model, IReadOnlyDictionary<string, StoredTensor> weights, ClassCorrespondence? classes)
    {
        var levels = new HashSet<int>();
        if (classes is not { FileNames: { } fileNames, ModelNames: { } modelNames } || !fileNames.SequenceEqual(modelNames, StringComparer.Ordinal)
            || modelNames.Count != model.NumClasses || classes.FileOrientations == model.Orientations
            || (classes.FileOrientations, model.Orientations) is not ((4, 1) or (1, 4)))
            return levels;
        long fileRows = (long)fileNames.Count * classes.FileOrientations;
        for (int level = 0; level < model.Strides.Length; level++)
        {
            var output = model.Head.ClassOutput(level);
            if (weights.TryGetValue($"model.22.cv3.{level}.2.weight", out var weight) && weights.TryGetValue($"model.22.cv3.{level}.2.bias", out var bias)
                && weight.Shape.Length == 4 && weight.Shape[0] == fileRows && weight.Shape.Skip(1).SequenceEqual(output.weight!.shape.Skip(1))
                && bias.Shape.SequenceEqual([fileRows]))
                levels.Add(level);
        }
        return levels;
    }

    /// <summary>Model row <c>t * nc + c</c> takes file row <c>c</c>: class c upright (turn 0), for every turn the model has.</summary>
    private static void CopyClassRows(Tensor target, StoredTensor stored, int numClasses)
    {
        long[] rows = Enumerable.Range(0, (int)target.shape[0]).Select(r => (long)(r % numClasses)).ToArray();
        using var index = tensor(rows);
        using var fromFile = stored.ToTensor();
        using var picked = fromFile.index_select(0, index);
        using var converted = picked.to(target.dtype, target.device);
        target.copy_(converted);
    }

    private static string DescribeMapping(int fileOrientations, int modelOrientations) => fileOrientations > modelOrientations
        ? $"class rows of the upright turn (turn 0) of the file's {fileOrientations} orientations"
        : $"each class's row copied to all {modelOrientations} turns";

    /// <summary>The level of a class-branch output tensor (<c>model.22.cv3.L.2.weight|bias</c>), else null.</summary>
    public static int? ClassOutputLevel(string name)
    {
        var match = ClassOutputName().Match(name);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^model\.22\.cv3\.(\d+)\.2\.(weight|bias)$")]
    private static partial Regex ClassOutputName();
}
