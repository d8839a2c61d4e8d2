namespace DigitMl.Scoring;

/// <summary>
/// Options of the scoring chain, <see cref="DigitDetector"/> and <see cref="OnnxBatchDetector"/>.
/// <see cref="ImageSize"/> and <see cref="Names"/> default to the ONNX model's metadata (<c>imgsz</c>, <c>names</c>).
/// </summary>
public sealed record ScoringOptions
{
    /// <summary>Default limit on decoded image size: 50 megapixels (an RGB copy of that is 150 MB).</summary>
    public const long DefaultMaxImagePixels = 50_000_000;

    public float Confidence { get; init; } = 0.25f;

    public float IoU { get; init; } = 0.7f;

    public int MaxDetections { get; init; } = 300;

    public bool ClassAgnostic { get; init; }

    /// <summary>Every class above the threshold per anchor (as validation and mAP need), not only the best one.</summary>
    public bool MultiLabel { get; init; }

    /// <summary>The letterbox size, and the training scale the auto rule compares images with (default: the model's imgsz).</summary>
    public int? ImageSize { get; init; }

    public IReadOnlyList<string>? Names { get; init; }

    /// <summary>Images with more pixels are rejected before decoding.</summary>
    public long MaxImagePixels { get; init; } = DefaultMaxImagePixels;

    /// <summary>ONNX Runtime intra-op threads; default: the cores this process may use.</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>auto (default), letterbox, native or tiles: see <see cref="InferencePlanner"/>.</summary>
    public InferenceMode Inference { get; init; } = InferenceMode.Auto;

    /// <summary>Tile side in pixels for tiled inference (default: the model's fixed input size, else its training size).</summary>
    public int? TileSize { get; init; }

    /// <summary>Share of a tile that overlaps its neighbour (default 0.25).</summary>
    public float TileOverlap { get; init; } = InferenceSettings.DefaultTileOverlap;

    /// <summary>Pixel budget of native-size inference; a larger image is scaled down to it (default 1600 x 1600).</summary>
    public long MaxInferencePixels { get; init; } = InferenceSettings.DefaultMaxPixels;

    /// <summary>Page turn by a vote of the digits: auto = on for turn-aware models (docs/orientation.md).</summary>
    public PageOrientationMode PageOrientation { get; init; } = PageOrientationMode.Auto;

    /// <summary>Weight of the turns other than the page's when a turn-aware model's class scores are read (below 1).</summary>
    public float TurnPenalty { get; init; } = PageTurnVote.DefaultPenalty;

    /// <summary>
    /// Chain input: a text column of image paths, or an image column (<c>MLImage</c>, as LoadImages makes). Default:
    /// <c>ImagePath</c> (text), else <c>Image</c> (MLImage).
    /// </summary>
    public string? InputColumnName { get; init; }

    public string PredictedLabelsColumnName { get; init; } = ScoringColumns.PredictedLabels;

    public string PredictedBoxesColumnName { get; init; } = ScoringColumns.PredictedBoxes;

    public string ScoresColumnName { get; init; } = ScoringColumns.Scores;

    public string PageTurnColumnName { get; init; } = ScoringColumns.PageTurn;

    public DetectionThresholds Thresholds => new(Confidence, IoU, MaxDetections, ClassAgnostic);

    public InferenceSettings InferenceSettings => new() { Mode = Inference, TileSize = TileSize, TileOverlap = TileOverlap, MaxPixels = MaxInferencePixels };

    public void Validate()
    {
        Thresholds.Validate();
        InferenceSettings.Validate();
        if (!(TurnPenalty >= 0 && TurnPenalty < 1))
            throw new ArgumentOutOfRangeException(nameof(TurnPenalty), TurnPenalty, "turn penalty must be within [0, 1)");
        if (!Enum.IsDefined(PageOrientation))
            throw new ArgumentOutOfRangeException(nameof(PageOrientation), PageOrientation, "page orientation must be auto, on or off");
        foreach (var (name, value) in new[]
        {
            (nameof(InputColumnName), InputColumnName ?? ScoringColumns.ImagePath), (nameof(PredictedLabelsColumnName), PredictedLabelsColumnName),
            (nameof(PredictedBoxesColumnName), PredictedBoxesColumnName), (nameof(ScoresColumnName), ScoresColumnName),
            (nameof(PageTurnColumnName), PageTurnColumnName),
        })
        {
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{name} must name a column", name);
        }
    }

    /// <summary>The settings the scoring steps run with, for a model with this information.</summary>
    public DetectionSettings ToSettings(OnnxModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Validate();
        var names = Names ?? model.Names;
        if (names.Count != model.Names.Count)
            throw new ArgumentException($"{names.Count} class names given but the model has {model.Names.Count} classes");
        return new DetectionSettings(ImageSize ?? model.ImageSize, Thresholds, names, MaxImagePixels)
        {
            Inference = InferenceSettings,
            PageOrientation = PageOrientation,
            TurnPenalty = TurnPenalty,
            MultiLabel = MultiLabel,
            IntraOpThreads = IntraOpThreads,
        };
    }
}
