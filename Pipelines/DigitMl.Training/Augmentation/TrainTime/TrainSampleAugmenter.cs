using DigitMl.Data;

namespace DigitMl.Training.Augmentation;

/// <summary>
/// Builds one training input (imageSize x imageSize) from a dataset index: a 4-image mosaic (with probability
/// <see cref="TrainAugmentationOptions.Mosaic"/>) or the letterboxed image, then a random affine (scale,
/// translation; rotation and shear when enabled), HSV jitter and optional flips. Every random choice comes from
/// the <see cref="Random"/> passed in, so a seeded generator per (epoch, index) makes batches reproducible
/// whatever thread builds them.
/// </summary>
public sealed class TrainSampleAugmenter
{
    private const float MinBoxSide = 2;
    private const double MinAreaRatio = 0.1;
    private const double MaxAspectRatio = 100;

    private readonly IReadOnlyList<YoloSample> _samples;
    private readonly Func<int, RgbImage> _loadImage;

    /// <param name="loadImage">decoded image of a dataset index (rotation applied), e.g. through a cache over <see cref="SampleImages.Load"/>.</param>
    public TrainSampleAugmenter(IReadOnlyList<YoloSample> samples, int imageSize, TrainAugmentationOptions options, Func<int, RgbImage> loadImage)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageSize);
        _samples = samples;
        ImageSize = imageSize;
        Options = options;
        _loadImage = loadImage;
    }

    public int ImageSize { get; }

    public TrainAugmentationOptions Options { get; }

    public AugmentedImage Create(int index, Random random, bool allowMosaic)
    {
        int s = ImageSize;
        bool mosaic = allowMosaic && Options.Mosaic > 0 && random.NextDouble() < Options.Mosaic;
        var (tiles, objects, canvasSize) = mosaic ? Mosaic(index, random) : Single(index);

        var affine = RandomAffine(random, canvasSize, s);
        RgbImage image;
        List<LabeledBox> boxes;
        if (!mosaic && affine == AffineTransform.Identity)
        {
            image = tiles[0].Image;  // already letterboxed: nothing to resample
            boxes = objects;
        }
        else
        {
            image = CanvasWarp.Render(tiles, affine, s, s);
            boxes = TransformBoxes(objects, affine, s);
        }

        HsvJitter.Apply(image, Options.HsvH, Options.HsvS, Options.HsvV, random);
        if (Options.FlipUD > 0 && random.NextDouble() < Options.FlipUD)
        {
            image = ImageRotation.MirrorHorizontal(ImageRotation.RotateClockwise(image, 180));
            boxes = [.. boxes.Select(b => b with { Box = new BoundingBox(b.Box.X0, s - b.Box.Y1, b.Box.X1, s - b.Box.Y0) })];
        }
        if (Options.FlipLR > 0 && random.NextDouble() < Options.FlipLR)
        {
            image = ImageRotation.MirrorHorizontal(image);
            boxes = [.. boxes.Select(b => b with { Box = new BoundingBox(s - b.Box.X1, b.Box.Y0, s - b.Box.X0, b.Box.Y1) })];
        }
        return new AugmentedImage(image, boxes);
    }

    /// <summary>The letterboxed image as the only tile of an imageSize canvas (Letterbox.Apply returns a fresh image that later steps may write into).</summary>
    private (List<CanvasTile> Tiles, List<LabeledBox> Objects, int CanvasSize) Single(int index)
    {
        int s = ImageSize;
        var letterbox = Letterbox.Apply(_loadImage(index), s, s);
        var tile = new CanvasTile(letterbox.Image, 1, 0, 0, new BoundingBox(0, 0, s, s));
        var objects = _samples[index].Objects.Select(o => o with { Box = letterbox.ToLetterbox(o.Box) }).ToList();
        return ([tile], objects, s);
    }

    /// <summary>
    /// Four images around a random centre of a 2s x 2s canvas, each scaled so its long side is s: the given index
    /// top-left of the centre, then three random dataset images top-right, bottom-left, bottom-right.
    /// </summary>
    private (List<CanvasTile> Tiles, List<LabeledBox> Objects, int CanvasSize) Mosaic(int index, Random random)
    {
        int s = ImageSize, canvas = 2 * s;
        int xc = (int)(s / 2.0 + (random.NextDouble() * s));
        int yc = (int)(s / 2.0 + (random.NextDouble() * s));
        int[] indices = [index, random.Next(_samples.Count), random.Next(_samples.Count), random.Next(_samples.Count)];
        var tiles = new List<CanvasTile>(4);
        var objects = new List<LabeledBox>();
        for (int i = 0; i < 4; i++)
        {
            var image = _loadImage(indices[i]);
            double r = (double)s / Math.Max(image.Width, image.Height);
            double w = image.Width * r, h = image.Height * r;
            (double ox, double oy) = i switch
            {
                0 => (xc - w, yc - h),
                1 => (xc, yc - h),
                2 => (xc - w, yc),
                _ => ((double)xc, (double)yc),
            };
            var clip = new BoundingBox(
                (float)Math.Max(ox, 0), (float)Math.Max(oy, 0),
                (float)Math.Min(ox + w, canvas), (float)Math.Min(oy + h, canvas));
            var tile = new CanvasTile(image, r, ox, oy, clip);
            tiles.Add(tile);
            foreach (var o in _samples[indices[i]].Objects)
            {
                var b = tile.ToCanvas(o.Box);
                var clipped = new BoundingBox(Math.Clamp(b.X0, 0, canvas), Math.Clamp(b.Y0, 0, canvas), Math.Clamp(b.X1, 0, canvas), Math.Clamp(b.Y1, 0, canvas));
                if (clipped.Width > 0 && clipped.Height > 0) objects.Add(o with { Box = clipped });
            }
        }
        return (tiles, objects, canvas);
    }

    /// <summary>
    /// Canvas centre to the origin, rotate+scale, shear, then translate to the output centre +/- Translate.
    /// The draws happen in a fixed order whether or not each part is enabled.
    /// </summary>
    private AffineTransform RandomAffine(Random random, int canvasSize, int outputSize)
    {
        double angle = Uniform(random, -Options.Degrees, Options.Degrees);
        double scale = Uniform(random, 1 - Options.Scale, 1 + Options.Scale);
        double shearX = Uniform(random, -Options.Shear, Options.Shear);
        double shearY = Uniform(random, -Options.Shear, Options.Shear);
        double tx = Uniform(random, 0.5 - Options.Translate, 0.5 + Options.Translate) * outputSize;
        double ty = Uniform(random, 0.5 - Options.Translate, 0.5 + Options.Translate) * outputSize;
        if (canvasSize == outputSize && angle == 0 && scale == 1 && shearX == 0 && shearY == 0 && tx == outputSize / 2.0 && ty == outputSize / 2.0)
            return AffineTransform.Identity;
        var centre = AffineTransform.Translation(-canvasSize / 2.0, -canvasSize / 2.0);
        return AffineTransform.Translation(tx, ty)
            .After(AffineTransform.Shear(shearX, shearY))
            .After(AffineTransform.RotationScale(angle, scale))
            .After(centre);
    }

    private static double Uniform(Random random, double low, double high) => low == high ? low : low + (random.NextDouble() * (high - low));

    /// <summary>
    /// Corners through the affine map, enclosing box clipped to the output; boxes that became too small, too thin
    /// or lost most of their area (cut off at the border) are dropped, as the reference's candidate filter.
    /// </summary>
    private static List<LabeledBox> TransformBoxes(List<LabeledBox> objects, AffineTransform affine, int size)
    {
        double gain = Math.Sqrt(Math.Abs((affine.A * affine.E) - (affine.B * affine.D)));
        var result = new List<LabeledBox>(objects.Count);
        foreach (var o in objects)
        {
            var b = o.Box;
            Span<(double X, double Y)> corners = [affine.Apply(b.X0, b.Y0), affine.Apply(b.X1, b.Y0), affine.Apply(b.X0, b.Y1), affine.Apply(b.X1, b.Y1)];
            double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
            foreach (var (x, y) in corners)
            {
                x0 = Math.Min(x0, x); y0 = Math.Min(y0, y); x1 = Math.Max(x1, x); y1 = Math.Max(y1, y);
            }
            var moved = new BoundingBox(
                (float)Math.Clamp(x0, 0, size), (float)Math.Clamp(y0, 0, size),
                (float)Math.Clamp(x1, 0, size), (float)Math.Clamp(y1, 0, size));
            double w = moved.Width, h = moved.Height;
            double expectedArea = b.Width * gain * b.Height * gain;
            bool keep = w > MinBoxSide && h > MinBoxSide
                && (w * h) / (expectedArea + 1e-16) > MinAreaRatio
                && Math.Max(w / (h + 1e-16), h / (w + 1e-16)) < MaxAspectRatio;
            if (keep) result.Add(o with { Box = moved });
        }
        return result;
    }
}
