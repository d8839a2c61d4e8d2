using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DigitMl.Scoring;

/// <summary>
/// The scoring chain of a YOLOv8 ONNX detector as an ML.NET estimator (nothing to learn: Fit builds the chain for the
/// input column's type, a text path or an <c>MLImage</c>). The chain it returns, step by step:
/// <list type="number">
/// <item>a constant column (<see cref="RowAnchorMapping"/>);</item>
/// <item>the settings (<see cref="DetectionSettings"/>) and the ONNX model (base64) as constant text columns written
/// by saved Expression transforms, so model.zip is standalone;</item>
/// <item>the detection mapping (<see cref="DetectFromPathMapping"/> or <see cref="DetectFromImageMapping"/>): decode,
/// views, ONNX Runtime, page turn, NMS or tile merge, in <see cref="DetectionEngine"/>;</item>
/// <item>renames to the option's column names, and the intermediate columns dropped.</item>
/// </list>
/// </summary>
public sealed class DetectionScoringEstimator : IEstimator<ITransformer>
{
    private readonly MLContext _ml;
    private readonly string _modelText;
    private readonly DetectionSettings _settings;
    private readonly ScoringOptions _options;

    internal DetectionScoringEstimator(MLContext mlContext, string modelText, DetectionSettings settings, ScoringOptions options)
    {
        _ml = mlContext;
        _modelText = modelText;
        _settings = settings;
        _options = options;
    }

    public DetectionSettings Settings => _settings;

    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string column = InputColumn(input.Schema.Select(c => c.Name), _options);
        var kind = InputKind(input.Schema, column);
        // Steps are fitted one by one on the data so far: EstimatorChain's schema check compares ML.NET image types by
        // reference and refuses an MLImage column from LoadImages.
        var stages = new List<ITransformer>();
        var data = input;
        void Add(IEstimator<ITransformer> estimator)
        {
            var transformer = estimator.Fit(data);
            stages.Add(transformer);
            data = transformer.Transform(data);
        }

        foreach (var estimator in Prefix(_ml, _settings, _modelText)) Add(estimator);
        string inner = kind == ScoringInputKind.MLImage ? ScoringColumns.Image : ScoringColumns.ImagePath;
        if (column != inner) Add(_ml.Transforms.CopyColumns(inner, column));
        Add(kind == ScoringInputKind.MLImage
            ? _ml.Transforms.CustomMapping(new DetectFromImageMapping().GetMapping(), DetectFromImageMapping.ContractName)
            : _ml.Transforms.CustomMapping(new DetectFromPathMapping().GetMapping(), DetectFromPathMapping.ContractName));
        foreach (var estimator in Suffix(_ml, _options, column != inner ? inner : null)) Add(estimator);
        return new TransformerChain<ITransformer>([.. stages]);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return OutputSchema(_ml, inputSchema, _settings, _modelText, _options);
    }

    /// <summary>The output schema of the chain for these options, computed without a model (for estimators that train one in Fit).</summary>
    internal static SchemaShape OutputSchema(MLContext ml, SchemaShape inputSchema, DetectionSettings settings, string modelText, ScoringOptions options)
    {
        string column = InputColumn(inputSchema.Select(c => c.Name), options);
        var input = inputSchema.FirstOrDefault(c => c.Name == column);
        if (input.Name is null || input.Kind != SchemaShape.Column.VectorKind.Scalar || input.ItemType is not (TextDataViewType or ImageDataViewType))
            throw new ArgumentException($"input needs a column '{column}' of image paths (text) or images (MLImage)", nameof(inputSchema));
        var shape = inputSchema;
        foreach (var estimator in Prefix(ml, settings, modelText)) shape = estimator.GetOutputSchema(shape);
        // the detection step's own schema check cannot take an image column (see Fit): a stand-in adds its outputs
        shape = ml.Transforms.CustomMapping<OutputStandIn, DetectionOutput>((_, _) => { }, contractName: null).GetOutputSchema(shape);
        foreach (var estimator in Suffix(ml, options, null)) shape = estimator.GetOutputSchema(shape);
        return shape;
    }

    /// <summary>The option's input column, else <c>ImagePath</c> when the input has one, else <c>Image</c>.</summary>
    internal static string InputColumn(IEnumerable<string> columns, ScoringOptions options) =>
        options.InputColumnName ?? (columns.Contains(ScoringColumns.ImagePath) || !columns.Contains(ScoringColumns.Image) ? ScoringColumns.ImagePath : ScoringColumns.Image);

    internal static ScoringInputKind InputKind(DataViewSchema schema, string column)
    {
        var found = schema.GetColumnOrNull(column)
            ?? throw new ArgumentException($"input has no column '{column}' (expected image paths as text, or MLImage images)", nameof(schema));
        return found.Type switch
        {
            TextDataViewType => ScoringInputKind.ImagePath,
            ImageDataViewType => ScoringInputKind.MLImage,
            _ => throw new ArgumentException($"input column '{column}' is {found.Type}: expected image paths (text) or images (MLImage)", nameof(schema)),
        };
    }

    /// <summary>Steps 1-2: the constant column, then the settings and model columns.</summary>
    internal static IEnumerable<IEstimator<ITransformer>> Prefix(MLContext ml, DetectionSettings settings, string modelText)
    {
        yield return ml.Transforms.CustomMapping(new RowAnchorMapping().GetMapping(), RowAnchorMapping.ContractName);
        yield return SettingsEstimator(ml, settings);
        yield return ml.Transforms.Expression(ScoringColumns.OnnxModel, $"x : \"{modelText}\"", ScoringColumns.RowAnchor);
    }

    internal static IEstimator<ITransformer> SettingsEstimator(MLContext ml, DetectionSettings settings) =>
        ml.Transforms.Expression(ScoringColumns.Settings, $"x : \"{settings.Format()}\"", ScoringColumns.RowAnchor);

    /// <summary>Renames to the option's output names, then drops the intermediate columns.</summary>
    private static IEnumerable<IEstimator<ITransformer>> Suffix(MLContext ml, ScoringOptions options, string? copiedInput)
    {
        var drop = new List<string> { ScoringColumns.OnnxModel, ScoringColumns.RowAnchor };
        if (copiedInput is not null) drop.Add(copiedInput);
        foreach (var (inner, outer) in new[]
        {
            (ScoringColumns.PredictedLabels, options.PredictedLabelsColumnName), (ScoringColumns.PredictedBoxes, options.PredictedBoxesColumnName),
            (ScoringColumns.Scores, options.ScoresColumnName), (ScoringColumns.PageTurn, options.PageTurnColumnName),
        })
        {
            if (inner == outer) continue;
            yield return ml.Transforms.CopyColumns(outer, inner);
            drop.Add(inner);
        }

        yield return ml.Transforms.DropColumns([.. drop]);
    }

    private sealed class OutputStandIn
    {
    }
}
