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
            // rows of new classes keep the fresh initialisation (and the class bias prior) of a re-initialised output
            foreach (int level in adaptableLevels.Keys)
                model.Head.ReinitialiseClassOutput(level);
            foreach (var (name, target) in targets)
            {
                if (!weights.TryGetValue(name, out var stored))
                {
                    missing.Add(name);
                    continue;
                }
                if (ClassOutputLevel(name) is int mapped && adaptableLevels.TryGetValue(mapped, out var fileRowOf))
                {
                    CopyClassRows(target, stored, fileRowOf);
                    adapted.Add(new AdaptedTensor(name, target.shape, stored.Shape, DescribeMapping(classes!, model, fileRowOf)));
                    continue;
                }
                if (!stored.Shape.SequenceEqual(target.shape))
                {
                    if (ClassOutputLevel(name) is int level)
                    {
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
    /// Per level whose class output (weight and bias) can be mapped row by row, the file row of every model row (-1:
    /// a class the file does not have, which keeps a fresh initialisation). Classes are matched by name, so a model
    /// for the ten digits plus a minus sign keeps the file's ten digit rows; turns map between a plain and a
    /// turn-aware head (docs/orientation.md). Needs both sides' names, at least one shared name and the same input
    /// width of the output convolution. The same classes in the same order need no mapping: they load as they are.
    /// </summary>
    private static Dictionary<int, long[]> AdaptableLevels(YoloV8Model model, IReadOnlyDictionary<string, StoredTensor> weights, ClassCorrespondence? classes)
    {
        var levels = new Dictionary<int, long[]>();
        if (classes is not { FileNames: { } fileNames, ModelNames: { } modelNames } || modelNames.Count != model.NumClasses
            || ClassRowMap(fileNames, classes.FileOrientations, modelNames, model.Orientations) is not { } rows)
            return levels;
        long fileRows = (long)fileNames.Count * classes.FileOrientations;
        for (int level = 0; level < model.Strides.Length; level++)
        {
            var output = model.Head.ClassOutput(level);
            if (weights.TryGetValue($"model.22.cv3.{level}.2.weight", out var weight) && weights.TryGetValue($"model.22.cv3.{level}.2.bias", out var bias)
                && weight.Shape.Length == 4 && weight.Shape[0] == fileRows && weight.Shape.Skip(1).SequenceEqual(output.weight!.shape.Skip(1))
                && bias.Shape.SequenceEqual([fileRows]) && !IsIdentity(rows, fileRows))
                levels.Add(level, rows);
        }
        return levels;
    }

    /// <summary>
    /// Model row <c>t * nc + c</c> takes file row <c>tf * ncFile + cf</c>, where cf is the file's class of the same
    /// name and tf the same turn (or the upright turn 0 between a plain and a turn-aware head); null when no name is
    /// shared or the turns do not map.
    /// </summary>
    internal static long[]? ClassRowMap(IReadOnlyList<string> fileNames, int fileOrientations, IReadOnlyList<string> modelNames, int modelOrientations)
    {
        if (fileOrientations != modelOrientations && (fileOrientations, modelOrientations) is not ((4, 1) or (1, 4))) return null;
        var fileClass = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < fileNames.Count; c++) fileClass.TryAdd(fileNames[c], c);
        if (!modelNames.Any(fileClass.ContainsKey)) return null;
        var rows = new long[modelNames.Count * modelOrientations];
        for (int t = 0; t < modelOrientations; t++)
        {
            int fileTurn = fileOrientations == modelOrientations ? t : 0;
            for (int c = 0; c < modelNames.Count; c++)
                rows[(t * modelNames.Count) + c] = fileClass.TryGetValue(modelNames[c], out int cf) ? ((long)fileTurn * fileNames.Count) + cf : -1;
        }
        return rows;
    }

    private static bool IsIdentity(long[] fileRowOf, long fileRows) =>
        fileRowOf.Length == fileRows && fileRowOf.Select((f, r) => f == r).All(same => same);

    /// <summary>Copies the mapped rows of the file's class output; rows mapped to -1 keep what the target holds.</summary>
    private static void CopyClassRows(Tensor target, StoredTensor stored, long[] fileRowOf)
    {
        long[] modelRows = [.. Enumerable.Range(0, fileRowOf.Length).Where(r => fileRowOf[r] >= 0).Select(r => (long)r)];
        long[] fileRows = [.. modelRows.Select(r => fileRowOf[r])];
        using var into = tensor(modelRows);
        using var from = tensor(fileRows);
        using var fromFile = stored.ToTensor();
        using var picked = fromFile.index_select(0, from);
        using var converted = picked.to(target.dtype, target.device);
        target.index_copy_(0, into, converted);
    }

    private static string DescribeMapping(ClassCorrespondence classes, YoloV8Model model, long[] fileRowOf)
    {
        var modelNames = classes.ModelNames!;
        var fresh = modelNames.Where((_, c) => fileRowOf[c] < 0).ToList();
        string turns = classes.FileOrientations == model.Orientations ? ""
            : classes.FileOrientations > model.Orientations
                ? $", from the upright turn (turn 0) of the file's {classes.FileOrientations} orientations"
                : $", each class's row copied to all {model.Orientations} turns";
        string names = fresh.Count == 0 ? "class rows matched by name"
            : $"{modelNames.Count - fresh.Count} of {modelNames.Count} classes matched by name, new (freshly initialised): {string.Join(", ", fresh)}";
        return names + turns;
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
