using DigitMl.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace DigitMl.Scoring;

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

        return SettingsEstimator(mlContext, settings)
            .Append(LetterboxImageMappings.Estimator(mlContext.Transforms, imageSize))
            .Append(mlContext.Transforms.ApplyOnnxModel(onnx))
            .Append(mlContext.Transforms.CustomMapping(new YoloPostProcessMapping().GetMapping(), YoloPostProcessMapping.ContractName));
    }

    /// <summary>
    /// The same chain with other thresholds: the settings stage (the first transformer) is replaced; the input size
    /// and class names stay as saved.
    /// </summary>
    public static ITransformer WithOptions(MLContext mlContext, ITransformer chain, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Thresholds.Validate();
        var saved = ReadSettings(mlContext, chain) ?? throw new ArgumentException("not a DigitMl scoring chain", nameof(chain));
        if (chain is not IEnumerable<ITransformer> stages || stages.Count() < 2)
            throw new ArgumentException("not a DigitMl scoring chain (expected a chain of transformers)", nameof(chain));
        var settings = saved with { Thresholds = options.Thresholds, MaxImagePixels = options.MaxImagePixels };
        var empty = mlContext.Data.LoadFromEnumerable(Array.Empty<ImagePathRow>());
        var settingsStage = SettingsEstimator(mlContext, settings).Fit(empty);
        return new TransformerChain<ITransformer>([settingsStage, .. stages.Skip(1)]);
    }

    /// <summary>The settings a chain carries (null when it has no settings column), read without scoring any image.</summary>
    public static DetectionSettings? ReadSettings(MLContext mlContext, ITransformer chain)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(chain);
        var probe = mlContext.Data.LoadFromEnumerable(new[] { new ImagePathRow { ImagePath = "settings-probe" } });
        var scored = chain.Transform(probe);
        if (scored.Schema.GetColumnOrNull(ScoringColumns.Settings) is null) return null;
        // Only the settings column is read, so no image is decoded.
        var text = scored.GetColumn<ReadOnlyMemory<char>>(ScoringColumns.Settings).First();
        return DetectionSettings.Parse(text.Span);
    }

    private static IEstimator<ITransformer> SettingsEstimator(MLContext mlContext, DetectionSettings settings) =>
        mlContext.Transforms.Expression(ScoringColumns.Settings, $"x : \"{settings.Format()}\"", ScoringColumns.ImagePath);

    /// <summary>
    /// The output schema of a chain for <paramref name="imageSize"/> before any model exists (for estimators that
    /// train the model in Fit): the same steps, with a schema-only stand-in for the ONNX step.
    /// </summary>
    public static SchemaShape OutputSchemaWithoutModel(MLContext mlContext, SchemaShape inputSchema, int imageSize)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(inputSchema);
        var path = inputSchema.FirstOrDefault(c => c.Name == ScoringColumns.ImagePath);
        if (path.Name is null || path.Kind != SchemaShape.Column.VectorKind.Scalar || path.ItemType is not TextDataViewType)
            throw new ArgumentException($"input needs a text column '{ScoringColumns.ImagePath}'", nameof(inputSchema));
        var settings = new DetectionSettings(imageSize, new DetectionThresholds(), ["0"], ScoringOptions.DefaultMaxImagePixels);
        var shape = SettingsEstimator(mlContext, settings).GetOutputSchema(inputSchema);
        shape = LetterboxImageMappings.Estimator(mlContext.Transforms, imageSize).GetOutputSchema(shape);
        shape = mlContext.Transforms.CustomMapping<OnnxOutputStandIn.Input, OnnxOutputStandIn>((_, _) => { }, contractName: null).GetOutputSchema(shape);
        return mlContext.Transforms.CustomMapping(new YoloPostProcessMapping().GetMapping(), YoloPostProcessMapping.ContractName).GetOutputSchema(shape);
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

    /// <summary>Schema-only stand-in for the ONNX step's output column.</summary>
    private sealed class OnnxOutputStandIn
    {
        [ColumnName(ScoringColumns.OnnxOutput)]
        public float[] Output { get; set; } = [];

        public sealed class Input
        {
        }
    }

    /// <summary>Input row of the chain.</summary>
    public sealed class ImagePathRow
    {
        public string ImagePath { get; set; } = "";
    }
}
