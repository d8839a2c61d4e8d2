using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace DigitMl.Pipelines.Scoring;

/// <summary>
/// Builds the ML.NET scoring chain of a YOLOv8 ONNX detector:
/// settings (constant Expression column) -> decode + letterbox + planar RGB floats 0..1 (custom mapping, the
/// training decoder and letterbox) -> ApplyOnnxModel -> post-processing (custom mapping: conf filter,
/// class-aware NMS, max det, boxes in source pixels). Input column <c>ImagePath</c>; adds <c>PredictedLabels</c>
/// (text vector), <c>PredictedBoxes</c> (x0, y0, x1, y1 per detection, flattened) and <c>Scores</c>.
/// <para>The chain saves with <c>mlContext.Model.Save</c>. To load it in another <see cref="MLContext"/>, register
/// this assembly's custom mappings first: <c>DetectionScoringChain.Register(mlContext)</c> (or
/// <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(DetectionScoringChain).Assembly)</c>);
/// <see cref="DigitDetector.Load"/> does this for you.</para>
/// </summary>
public static class DetectionScoringChain
{
    public static void Register(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(DetectionScoringChain).Assembly);
    }

    public static ITransformer Create(MLContext mlContext, string onnxPath, ScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var estimator = CreateEstimator(mlContext, onnxPath, options);
        var empty = mlContext.Data.LoadFromEnumerable(Array.Empty<ImagePathRow>());
        return estimator.Fit(empty);
    }

    /// <summary>The chain as an estimator (nothing to learn: Fit only checks the schema).</summary>
    public static IEstimator<ITransformer> CreateEstimator(MLContext mlContext, string onnxPath, ScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        options ??= new ScoringOptions();
        options.Thresholds.Validate();
        Register(mlContext);
        var info = OnnxModelInfo.Read(onnxPath);
        int imageSize = options.ImageSize ?? info.ImageSize;
        var names = options.Names ?? info.Names;
        if (names.Count != info.Outputs - 4)
            throw new ArgumentException($"{names.Count} class names given but {onnxPath} has {info.Outputs - 4} classes", nameof(options));
        var settings = new DetectionSettings(imageSize, options.Thresholds, names, options.MaxImagePixels);

        var onnx = new OnnxOptions
        {
            ModelFile = onnxPath,
            InputColumns = [ScoringColumns.OnnxInput],
            OutputColumns = [ScoringColumns.OnnxOutput],
            ShapeDictionary = new Dictionary<string, int[]> { [ScoringColumns.OnnxInput] = [1, 3, imageSize, imageSize] },
            IntraOpNumThreads = options.IntraOpThreads ?? Environment.ProcessorCount,
            InterOpNumThreads = 1,
        };

        return mlContext.Transforms.Expression(ScoringColumns.Settings, $"x : \"{settings.Format()}\"", ScoringColumns.ImagePath)
            .Append(LetterboxImageMappings.Estimator(mlContext.Transforms, imageSize))
            .Append(mlContext.Transforms.ApplyOnnxModel(onnx))
            .Append(mlContext.Transforms.CustomMapping(new YoloPostProcessMapping().GetMapping(), YoloPostProcessMapping.ContractName));
    }

    /// <summary>Reads the detections of one scored row.</summary>
    public static IReadOnlyList<Detection> ToDetections(string[] labels, float[] boxes, float[] scores, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(names);
        var result = new Detection[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            int classId = IndexOf(names, labels[i]);
            result[i] = new Detection(classId, labels[i], scores[i], new Data.BoundingBox(boxes[i * 4], boxes[(i * 4) + 1], boxes[(i * 4) + 2], boxes[(i * 4) + 3]));
        }

        return result;
    }

    private static int IndexOf(IReadOnlyList<string> names, string label)
    {
        for (int i = 0; i < names.Count; i++)
            if (names[i] == label) return i;
        return -1;
    }

    /// <summary>Input row of the chain.</summary>
    public sealed class ImagePathRow
    {
        public string ImagePath { get; set; } = "";
    }
}
