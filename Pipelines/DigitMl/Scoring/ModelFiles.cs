namespace DigitMl.Scoring;

/// <summary>
/// The servable files of an artifact and how a model path (an artifact folder, its model.zip or a model.onnx) is
/// resolved to one of them. Checkpoints are training files: serving does not read them, but an optional
/// <c>exportCheckpoint</c> function (DigitMl.Training's <c>CheckpointExport.ToTemporaryOnnx</c>) can turn one
/// into ONNX first.
/// </summary>
public static class ModelFiles
{
    public const string OnnxFileName = "model.onnx";
    public const string ZipFileName = "model.zip";

    /// <summary>The checkpoint names a training run writes (only for clear errors and for the export hook).</summary>
    public static IReadOnlyList<string> CheckpointNames { get; } = ["best.ckpt", "last.ckpt"];

    /// <summary>
    /// A folder's model.zip (preferred) or model.onnx; a .zip or .onnx file as it is; a pointer file such as an
    /// experiment's <c>best</c> as the version folder it names. A checkpoint (a .ckpt file, or a
    /// folder with only checkpoints) goes through <paramref name="exportCheckpoint"/>, or is refused with a clear
    /// message when none is given.
    /// </summary>
    public static string Resolve(string path, Func<string, string>? exportCheckpoint = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            foreach (string name in new[] { ZipFileName, OnnxFileName })
            {
                string candidate = Path.Combine(path, name);
                if (File.Exists(candidate)) return candidate;
            }

            if (CheckpointNames.Any(n => File.Exists(Path.Combine(path, n))))
                return ExportOrRefuse(path, exportCheckpoint);
            throw new FileNotFoundException($"{path}: folder has no {ZipFileName}, {OnnxFileName} or checkpoint ({string.Join(", ", CheckpointNames)})");
        }

        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: model file not found", path);
        if (PointedVersion(path) is { } version)
            return Resolve(version, exportCheckpoint);
        if (path.EndsWith(".ckpt", StringComparison.OrdinalIgnoreCase))
            return ExportOrRefuse(path, exportCheckpoint);
        if (!path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}: expected a model.zip, a .onnx file, a .ckpt checkpoint or an artifact folder");
        return path;
    }

    /// <summary>
    /// The ONNX file behind <paramref name="path"/>: what <see cref="Resolve"/> finds when it is ONNX, or the model.onnx
    /// beside a model.zip; null when only a model.zip exists.
    /// </summary>
    public static string? ResolveOnnx(string path, Func<string, string>? exportCheckpoint = null)
    {
        string modelFile = Resolve(path, exportCheckpoint);
        if (modelFile.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) return modelFile;
        string sibling = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelFile))!, OnnxFileName);
        return File.Exists(sibling) ? sibling : null;
    }

    /// <summary>
    /// The version folder a pointer file names: a one-line file without extension holding the name of a folder beside
    /// it, as the <c>best</c> file a sweep keeps in its experiment folder (artifacts/digits/best holds "v0001").
    /// </summary>
    private static string? PointedVersion(string path)
    {
        if (Path.GetExtension(path).Length > 0 || new FileInfo(path).Length is 0 or > 256) return null;
        string name = File.ReadAllText(path).Trim();
        if (name.Length == 0 || name.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..") return null;
        string folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, name);
        return Directory.Exists(folder) ? folder : null;
    }

    private static string ExportOrRefuse(string checkpoint, Func<string, string>? exportCheckpoint)
    {
        if (exportCheckpoint is null)
            throw new InvalidDataException(
                $"{checkpoint}: a training checkpoint, which the serving library does not read; export it first " +
                $"(`dotnet run --project Experiments -- export --model {checkpoint}`) and load the {OnnxFileName} or {ZipFileName}");
        return exportCheckpoint(checkpoint);
    }
}
