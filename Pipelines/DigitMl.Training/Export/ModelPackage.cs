using DigitMl.Scoring;
using DigitMl.Training;
using Microsoft.ML;

namespace DigitMl.Export;

/// <summary>
/// Writes the serving files of an artifact from a checkpoint: <c>model.onnx</c> (standalone) and <c>model.zip</c>
/// (the ML.NET scoring chain around it). Used by <c>export</c>, <c>train</c> and <c>sweep</c>.
/// </summary>
public static class ModelPackage
{
    public const string OnnxFileName = ModelFiles.OnnxFileName;
    public const string ZipFileName = ModelFiles.ZipFileName;

    /// <summary>A checkpoint file as it is, or an artifact/run folder's best.ckpt (else last.ckpt).</summary>
    public static string ResolveCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            foreach (string name in new[] { TrainingFiles.BestCheckpoint, TrainingFiles.LastCheckpoint })
            {
                string candidate = Path.Combine(path, name);
                if (File.Exists(candidate)) return candidate;
            }

            throw new FileNotFoundException($"{path}: folder has neither {TrainingFiles.BestCheckpoint} nor {TrainingFiles.LastCheckpoint}");
        }

        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint not found", path);
        return path;
    }

    /// <summary>
    /// Exports a checkpoint (file or folder) to ONNX; <paramref name="imageSize"/> defaults to the training size.
    /// A class branch of 4 x the checkpoint's class names is a turn-aware model (docs/orientation.md) and exports with
    /// 4 orientations. <paramref name="dynamicSpatialAxes"/> false writes a fixed-size graph.
    /// </summary>
    public static string WriteOnnx(string checkpoint, string onnxPath, int? imageSize = null, string? configHash = null, bool dynamicSpatialAxes = true)
    {
        string file = ResolveCheckpoint(checkpoint);
        var (model, info) = Checkpoint.Load(file);
        using (model)
        {
            model.eval();
            OnnxExporter.Export(model, onnxPath, new OnnxExportMetadata(info.Names, imageSize ?? info.ImageSize, ConfigHash: configHash)
            {
                DynamicSpatialAxes = dynamicSpatialAxes,
            });
        }

        return onnxPath;
    }

    /// <summary>Writes model.onnx and model.zip into <paramref name="folder"/> from its (or the given) checkpoint.</summary>
    public static (string Onnx, string Zip) Write(string checkpoint, string folder, ScoringOptions? scoring = null, string? configHash = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        string onnx = WriteOnnx(checkpoint, Path.Combine(folder, OnnxFileName), scoring?.ImageSize, configHash);
        string zip = Path.Combine(folder, ZipFileName);
        WriteZip(onnx, zip, scoring);
        return (onnx, zip);
    }

    /// <summary>
    /// Exports a checkpoint (file or folder) to a new temporary ONNX file and returns its path: the hook that lets
    /// serving entry points (<see cref="ModelFiles.Resolve"/>, <see cref="DigitDetector"/>) accept a checkpoint.
    /// </summary>
    public static string ToTemporaryOnnx(string checkpoint)
    {
        string folder = Path.Combine(Path.GetTempPath(), "digitml-exports");
        Directory.CreateDirectory(folder);
        string onnx = Path.Combine(folder, $"{Guid.NewGuid():N}.onnx");
        try
        {
            return WriteOnnx(checkpoint, onnx);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new InvalidDataException($"{checkpoint}: not a loadable checkpoint ({e.Message.Split('\n')[0].Trim()})", e);
        }
    }

    /// <summary>A detector for any model path, checkpoints included (exported to a temporary ONNX file first).</summary>
    public static DigitDetector LoadDetector(string path, ScoringOptions? options = null) =>
        DigitDetector.Load(ModelFiles.Resolve(path, ToTemporaryOnnx), options);

    /// <summary>Saves the scoring chain around an ONNX model as an ML.NET model.zip.</summary>
    public static void WriteZip(string onnxPath, string zipPath, ScoringOptions? scoring = null)
    {
        var ml = new MLContext(seed: 0);
        var chain = DetectionScoringChain.Create(ml, onnxPath, scoring);
        var schema = ml.Data.LoadFromEnumerable(Array.Empty<DetectionScoringChain.ImagePathRow>()).Schema;
        string temporary = zipPath + ".tmp";
        ml.Model.Save(chain, schema, temporary);
        File.Move(temporary, zipPath, overwrite: true);
    }
}
