using DigitMl.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Scoring;

/// <summary>
/// Builds the ML.NET scoring chain of a YOLOv8 ONNX detector (<see cref="DetectionScoringEstimator"/>): input column
/// <c>ImagePath</c> (text) or an <c>MLImage</c> column; adds <c>PredictedLabels</c> (text vector),
/// <c>PredictedBoxes</c> (x0, y0, x1, y1 per detection in source image pixels, flattened), <c>Scores</c> and
/// <c>PageTurn</c> (degrees, -1 for plain models); names are options. The ONNX model travels inside the chain, so a
/// saved model.zip is standalone.
/// <para>To load a saved chain in another <see cref="MLContext"/>, register this assembly's custom mappings first:
/// <c>DetectionScoringChain.Register(mlContext)</c> (or
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

    /// <summary>The chain for an input column of <paramref name="input"/> kind (named by <see cref="ScoringOptions.InputColumnName"/>, default <c>ImagePath</c> or <c>Image</c>).</summary>
    public static ITransformer Create(MLContext mlContext, string onnxPath, ScoringOptions? options = null, ScoringInputKind input = ScoringInputKind.ImagePath)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        options ??= new ScoringOptions();
        var estimator = CreateEstimator(mlContext, onnxPath, options);
        string column = options.InputColumnName ?? (input == ScoringInputKind.MLImage ? ScoringColumns.Image : ScoringColumns.ImagePath);
        return estimator.Fit(EmptyInput(mlContext, column, input));
    }

    /// <summary>The chain as an estimator (nothing to learn: Fit only checks the schema and picks the input kind).</summary>
    public static DetectionScoringEstimator CreateEstimator(MLContext mlContext, string onnxPath, ScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        options ??= new ScoringOptions();
        options.Validate();
        Register(mlContext);
        if (!File.Exists(onnxPath))
            throw new FileNotFoundException($"{onnxPath}: ONNX model not found", onnxPath);
        byte[] model = File.ReadAllBytes(onnxPath);
        DetectionSettings settings;
        using (var session = YoloOnnxSession.Open(model, onnxPath, 1))
        {
            settings = options.ToSettings(session.Info);
            _ = new DetectionEngine(session, settings); // refuses settings the model cannot run, before anything is saved
        }

        return new DetectionScoringEstimator(mlContext, Convert.ToBase64String(model), settings, options);
    }

    /// <summary>
    /// The same chain with other options: the settings stage is replaced (thresholds, pixel limit, inference mode,
    /// page orientation); the input size, class names and column names stay as saved.
    /// </summary>
    public static ITransformer WithOptions(MLContext mlContext, ITransformer chain, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var saved = ReadSettings(mlContext, chain) ?? throw new ArgumentException("not a DigitMl scoring chain", nameof(chain));
        var stages = ((IEnumerable<ITransformer>)chain).ToList();
        var settings = options.ToSettings(new OnnxModelInfo(saved.ImageSize, saved.Names, 4 + saved.Names.Count, 0)) with
        {
            ImageSize = saved.ImageSize,
            Names = saved.Names,
        };
        var probe = mlContext.Data.LoadFromEnumerable(new[] { new ProbeRow() });
        var anchored = stages[0].Transform(probe);
        stages[SettingsStage] = DetectionScoringEstimator.SettingsEstimator(mlContext, settings).Fit(anchored);
        return new TransformerChain<ITransformer>([.. stages]);
    }

    /// <summary>The settings a chain carries (null when it is not a DigitMl scoring chain), read without scoring any image.</summary>
    public static DetectionSettings? ReadSettings(MLContext mlContext, ITransformer chain)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(chain);
        if (chain is not IEnumerable<ITransformer> stages) return null;
        var first = stages.Take(SettingsStage + 1).ToList();
        if (first.Count <= SettingsStage) return null;
        IDataView data = mlContext.Data.LoadFromEnumerable(new[] { new ProbeRow() });
        try
        {
            foreach (var stage in first) data = stage.Transform(data);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // the first steps need input columns: not our chain
        }

        if (data.Schema.GetColumnOrNull(ScoringColumns.Settings) is not { Type: TextDataViewType }) return null;
        var text = data.GetColumn<ReadOnlyMemory<char>>(ScoringColumns.Settings).First();
        return DetectionSettings.Parse(text.Span);
    }

    /// <summary>
    /// The output schema of a chain for <paramref name="imageSize"/> before any model exists (for estimators that
    /// train the model in Fit): the same steps with a stand-in for the model.
    /// </summary>
    public static SchemaShape OutputSchemaWithoutModel(MLContext mlContext, SchemaShape inputSchema, int imageSize, ScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(inputSchema);
        options ??= new ScoringOptions();
        var settings = new DetectionSettings(imageSize, options.Thresholds, ["0"], options.MaxImagePixels);
        return DetectionScoringEstimator.OutputSchema(mlContext, inputSchema, settings, "", options);
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
            result[i] = new Detection(classId, labels[i], scores[i], new BoundingBox(boxes[i * 4], boxes[(i * 4) + 1], boxes[(i * 4) + 2], boxes[(i * 4) + 3]));
        }

        return result;
    }

    /// <summary>Index of the settings step in a chain (after the constant column).</summary>
    private const int SettingsStage = 1;

    private static IDataView EmptyInput(MLContext ml, string column, ScoringInputKind input)
    {
        if (input == ScoringInputKind.MLImage)
        {
            var definition = SchemaDefinition.Create(typeof(ImageRow));
            definition[0].ColumnName = column;
            return ml.Data.LoadFromEnumerable(Array.Empty<ImageRow>(), definition);
        }
        else
        {
            var definition = SchemaDefinition.Create(typeof(ImagePathRow));
            definition[0].ColumnName = column;
            return ml.Data.LoadFromEnumerable(Array.Empty<ImagePathRow>(), definition);
        }
    }

    private static int IndexOf(IReadOnlyList<string> names, string label)
    {
        for (int i = 0; i < names.Count; i++)
            if (names[i] == label) return i;
        return -1;
    }

    /// <summary>Input row of the chain: an image file path.</summary>
    public sealed class ImagePathRow
    {
        public string ImagePath { get; set; } = "";
    }

    /// <summary>Input row of a chain made for ML.NET images (<see cref="ScoringInputKind.MLImage"/>).</summary>
    public sealed class ImageRow
    {
        [VariableSizeImage]
        public MLImage? Image { get; set; }
    }

    /// <summary>A row for reading the settings: the first steps need no input column (a data view needs one column).</summary>
    private sealed class ProbeRow
    {
        public float Probe { get; set; }
    }
}
