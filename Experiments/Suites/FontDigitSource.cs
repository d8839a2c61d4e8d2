using DigitMl.Data.Scenes;
using SkiaSharp;

namespace DigitMl.Experiments.Suites;

/// <summary>
/// Digits 0-9 drawn with handwriting fonts (SkiaSharp), for the unseen-writers set only: <see cref="MayTrain"/> is
/// false, so the generator will not put them in a train or val split. Each drawn digit gets its own slant and
/// width from the generator's per-digit random value; coverage is treated as MNIST's (the faint 20% of the
/// anti-aliasing fringe is dropped), so strokes compare.
/// </summary>
public sealed class FontDigitSource : IDigitSource, IDisposable
{
    private readonly SKTypeface[] _typefaces;
    private readonly Lock _gate = new();

    public FontDigitSource(IReadOnlyList<HandwritingFont> fonts)
    {
        ArgumentNullException.ThrowIfNull(fonts);
        if (fonts.Count == 0) throw new ArgumentException("no fonts given", nameof(fonts));
        Fonts = fonts;
        _typefaces = [.. fonts.Select(f => SKTypeface.FromFile(f.Path) ?? throw new InvalidDataException($"{f.Path}: not a font SkiaSharp can read (package {f.Package})"))];
        var pool = Enumerable.Range(0, fonts.Count * 10).ToArray();
        TestPool = pool;
        Fingerprint = SceneDatasetMarker.Sha256Hex([.. fonts.Select(f => File.ReadAllBytes(f.Path)), System.Text.Encoding.UTF8.GetBytes(typeof(SKTypeface).Assembly.GetName().Version?.ToString() ?? "")]);
    }

    public IReadOnlyList<HandwritingFont> Fonts { get; }

    public string Name => "handwriting-fonts";

    public string Fingerprint { get; }

    public bool MayTrain => false;

    private IReadOnlyList<int> TestPool { get; }

    /// <summary>Every font's ten digits for the test split; nothing for train or val.</summary>
    public IReadOnlyList<int> Pool(string split) => split == "test" ? TestPool : [];

    public int ClassOf(int index) => index % 10;

    public DigitPatch? Draw(int index, int inkHeight, ulong variant)
    {
        var typeface = _typefaces[index / 10];
        string text = ((char)('0' + (index % 10))).ToString();
        float slant = (((variant & 0xFFFF) / 65535f) - 0.5f) * 0.35f;          // -0.175..0.175
        float widthScale = 0.85f + (0.3f * (((variant >> 16) & 0xFFFF) / 65535f));
        // Skia objects are not documented thread-safe across threads sharing a typeface: draw one at a time
        lock (_gate)
        {
            using var paint = new SKPaint { Typeface = typeface, TextSize = 100, IsAntialias = true, Color = SKColors.White };
            var bounds = new SKRect();
            paint.MeasureText(text, ref bounds);
            if (bounds.Height <= 0) return null;
            paint.TextSize = 100 * inkHeight / bounds.Height;
            paint.MeasureText(text, ref bounds);
            // x' = widthScale * (x - left) - slant * y (y < 0 above the baseline): an italic slant and a width change
            float shiftTop = -slant * bounds.Top, shiftBottom = -slant * bounds.Bottom;
            float offsetX = 4 - Math.Min(shiftTop, shiftBottom);
            int width = (int)MathF.Ceiling((bounds.Width * widthScale) + MathF.Abs(shiftTop - shiftBottom)) + 8;
            int height = (int)MathF.Ceiling(bounds.Height) + 8;
            using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Alpha8, SKAlphaType.Premul));
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(SKColors.Transparent);
                canvas.Translate(offsetX, 4 - bounds.Top);
                var matrix = new SKMatrix(widthScale, -slant, -bounds.Left * widthScale, 0, 1, 0, 0, 0, 1);
                canvas.Concat(ref matrix);
                canvas.DrawText(text, 0, 0, paint);
            }
            var alpha = bitmap.GetPixelSpan();
            int stride = bitmap.RowBytes;
            var coverage = new float[width * height];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    coverage[(y * width) + x] = Math.Clamp(((alpha[(y * stride) + x] / 255f) - DigitPatch.InkFloor) / (1 - DigitPatch.InkFloor), 0, 1);
            return DigitPatch.FromCoverage(width, height, coverage);
        }
    }

    public void Dispose()
    {
        foreach (var t in _typefaces) t.Dispose();
    }
}
