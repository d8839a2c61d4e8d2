namespace DigitMl.Scoring;

/// <summary>
/// Chooses how an image is read (the auto rule) and lays out its views:
/// <list type="bullet">
/// <item>letterbox: the whole image to the training size (today's path; small images);</item>
/// <item>native: the whole image at scale 1 (or scaled down to the pixel budget), padded to multiples of 32;</item>
/// <item>tiles: overlapping windows of the tile size at scale 1, evenly spaced, inside the image.</item>
/// </list>
/// </summary>
public static class InferencePlanner
{
    public const int Stride = 32;

    /// <summary>
    /// The auto rule: images up to twice the training size on both sides are letterboxed (exactly today's path); larger
    /// ones are read at their own scale: natively when the model has dynamic spatial axes, in tiles when its input is
    /// fixed. An explicit mode is kept as it is.
    /// </summary>
    public static InferenceMode Choose(int width, int height, int trainingSize, bool dynamicSpatialAxes, InferenceMode requested = InferenceMode.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trainingSize);
        if (requested != InferenceMode.Auto) return requested;
        if (width <= 2 * trainingSize && height <= 2 * trainingSize) return InferenceMode.Letterbox;
        return dynamicSpatialAxes ? InferenceMode.Native : InferenceMode.Tiles;
    }

    /// <summary>
    /// The views of a <paramref name="width"/> x <paramref name="height"/> image for a model whose training (letterbox)
    /// size is <paramref name="imageSize"/>. A model with a fixed input reads every view at that input size.
    /// </summary>
    public static InferencePlan Plan(int width, int height, int imageSize, OnnxModelInfo model, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        var mode = Choose(width, height, imageSize, model.DynamicSpatialAxes, settings.Mode);
        return mode switch
        {
            InferenceMode.Letterbox => new InferencePlan(mode, [InferenceView.Letterbox(width, height, imageSize, imageSize)], width, height),
            InferenceMode.Native => new InferencePlan(mode, [Native(width, height, model, settings.MaxPixels)], width, height),
            _ => new InferencePlan(InferenceMode.Tiles, Tiles(width, height, TileSize(imageSize, model, settings), model.DynamicSpatialAxes, settings.TileOverlap), width, height),
        };
    }

    /// <summary>The tile side: the option, else the fixed input size, else the training size.</summary>
    public static int TileSize(int imageSize, OnnxModelInfo model, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        if (!model.DynamicSpatialAxes)
        {
            if (settings.TileSize is { } asked && asked != model.InputHeight)
                throw new ArgumentException($"tile size {asked} px: this model's input is fixed at {model.InputWidth}x{model.InputHeight} (export with dynamic axes to choose the tile size)");
            return model.InputHeight;
        }

        return settings.TileSize ?? imageSize;
    }

    /// <summary>The whole image at scale min(1, sqrt(budget / pixels)), centred in the next multiples of 32.</summary>
    public static InferenceView Native(int width, int height, OnnxModelInfo model, long maxPixels)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.DynamicSpatialAxes)
            throw new InvalidOperationException($"native-size inference needs a model with dynamic spatial axes; this one is fixed at {model.InputWidth}x{model.InputHeight} (re-export it, or use tiles)");
        double scale = Math.Min(1.0, Math.Sqrt((double)maxPixels / ((double)width * height)));
        int resizedWidth = scale == 1.0 ? width : Math.Max(1, (int)Math.Round(width * scale, MidpointRounding.ToEven));
        int resizedHeight = scale == 1.0 ? height : Math.Max(1, (int)Math.Round(height * scale, MidpointRounding.ToEven));
        int inputWidth = RoundUp(resizedWidth), inputHeight = RoundUp(resizedHeight);
        int padX = (int)Math.Round(((inputWidth - resizedWidth) / 2.0) - 0.1, MidpointRounding.ToEven);
        int padY = (int)Math.Round(((inputHeight - resizedHeight) / 2.0) - 0.1, MidpointRounding.ToEven);
        return new InferenceView(0, 0, width, height, (float)scale, resizedWidth, resizedHeight, padX, padY, inputWidth, inputHeight);
    }

    /// <summary>
    /// Windows of <paramref name="tile"/> pixels at scale 1 that cover the image with at least <paramref name="overlap"/>
    /// of a tile shared between neighbours, evenly spaced, first and last flush with the image border. A side shorter
    /// than the tile gets one window (padded; with dynamic axes only to the next multiple of 32).
    /// </summary>
    public static IReadOnlyList<InferenceView> Tiles(int width, int height, int tile, bool dynamicSpatialAxes, float overlap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tile, Stride);
        var xs = Positions(width, tile, overlap);
        var ys = Positions(height, tile, overlap);
        int inputWidth = width >= tile || !dynamicSpatialAxes ? tile : RoundUp(width);
        int inputHeight = height >= tile || !dynamicSpatialAxes ? tile : RoundUp(height);
        var views = new List<InferenceView>(xs.Count * ys.Count);
        foreach (int y in ys)
        {
            foreach (int x in xs)
            {
                int w = Math.Min(tile, width - x), h = Math.Min(tile, height - y);
                var edges = ViewEdges.None;
                if (x > 0) edges |= ViewEdges.Left;
                if (y > 0) edges |= ViewEdges.Top;
                if (x + w < width) edges |= ViewEdges.Right;
                if (y + h < height) edges |= ViewEdges.Bottom;
                views.Add(new InferenceView(x, y, w, h, 1f, w, h, 0, 0, inputWidth, inputHeight, edges));
            }
        }

        return views;
    }

    private static List<int> Positions(int length, int tile, float overlap)
    {
        if (length <= tile) return [0];
        double step = Math.Max(1, tile * (1 - overlap));
        int count = (int)Math.Ceiling((length - tile) / step) + 1;
        var positions = new List<int>(count);
        for (int i = 0; i < count; i++)
            positions.Add((int)Math.Round((double)i * (length - tile) / (count - 1), MidpointRounding.ToEven));
        return positions;
    }

    private static int RoundUp(int value) => (value + Stride - 1) / Stride * Stride;
}
