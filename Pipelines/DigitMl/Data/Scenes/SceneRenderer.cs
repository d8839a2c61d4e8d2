using DigitMl.Data.Mnist;

namespace DigitMl.Data.Scenes;

/// <summary>
/// Draws one scene: a paper-like background (tone, tint, gradient, optional ruled lines, noise), then
/// 0..MaxDigits MNIST digits in one pen with per-digit darkness, placed with little overlap.
/// Only IEEE-exact arithmetic (+, -, *, /, sqrt, round) and <see cref="SceneRandom"/> are used, so the
/// pixels are identical on every machine.
/// </summary>
internal static class SceneRenderer
{
    /// <summary>Background channels never go below this, so any ink coverage &gt; 0 changes the pixel.</summary>
    public const int PaperFloor = 120;

    /// <summary>Pen channels never go above this.</summary>
    public const int PenCeiling = 100;

    public const float MinDarkness = 0.55f;

    /// <summary>Two digit boxes may share at most this fraction of the smaller box.</summary>
    public const float MaxOverlap = 0.05f;

    private const int PlacementAttempts = 30;

    public static (RgbImage Image, RgbImage Background, IReadOnlyList<PlacedDigit> Digits) Render(
        MnistDigits digits, IReadOnlyList<int> pool, SceneOptions options, SceneRandom random)
    {
        var background = DrawPaper(options.Width, options.Height, random);
        var image = new RgbImage(options.Width, options.Height, (byte[])background.Pixels.Clone());
        var placed = new List<PlacedDigit>();
        if (pool.Count == 0 || options.MaxDigits == 0 || random.Chance(options.EmptyFraction))
            return (image, background, placed);

        var pen = PickPen(random);
        int wanted = random.Between(1, options.MaxDigits);
        int maxHeight = Math.Min(options.MaxDigitHeight, Math.Min(options.Width, options.Height) - 2);
        int minHeight = Math.Min(options.MinDigitHeight, maxHeight);
        for (int n = 0; n < wanted; n++)
        {
            int mnistIndex = pool[random.NextInt(pool.Count)];
            // Skewed towards small digits: a scene has room for more of them, and small ones are the hard case.
            double u = random.NextDouble();
            int inkHeight = minHeight + (int)((maxHeight - minHeight + 1) * ((0.5 * u) + (0.5 * u * u)));
            float darkness = (float)random.Uniform(MinDarkness, 1.0);
            var patch = DigitPatch.Create(digits.Pixels(mnistIndex), inkHeight);
            if (patch is null || patch.BoxWidth > options.Width || patch.BoxHeight > options.Height) continue;
            if (TryPlace(patch, options, placed, random) is not { } box) continue;
            Composite(image, patch, (int)box.X0 - patch.BoxX0, (int)box.Y0 - patch.BoxY0, pen, darkness);
            placed.Add(new PlacedDigit(digits.Label(mnistIndex), mnistIndex, box));
        }
        return (image, background, placed);
    }

    private static BoundingBox? TryPlace(DigitPatch patch, SceneOptions options, List<PlacedDigit> placed, SceneRandom random)
    {
        for (int attempt = 0; attempt < PlacementAttempts; attempt++)
        {
            int x = random.Between(0, options.Width - patch.BoxWidth);
            int y = random.Between(0, options.Height - patch.BoxHeight);
            var box = new BoundingBox(x, y, x + patch.BoxWidth, y + patch.BoxHeight);
            bool fits = true;
            foreach (var other in placed)
            {
                if (Intersection(box, other.Box) > MaxOverlap * Math.Min(box.Area, other.Box.Area))
                {
                    fits = false;
                    break;
                }
            }
            if (fits) return box;
        }
        return null;
    }

    private static float Intersection(BoundingBox a, BoundingBox b)
    {
        float w = Math.Min(a.X1, b.X1) - Math.Max(a.X0, b.X0);
        float h = Math.Min(a.Y1, b.Y1) - Math.Max(a.Y0, b.Y0);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    private static void Composite(RgbImage image, DigitPatch patch, int offsetX, int offsetY, (float R, float G, float B) pen, float darkness)
    {
        var pixels = image.Pixels;
        for (int y = patch.BoxY0; y < patch.BoxY1; y++)
        {
            for (int x = patch.BoxX0; x < patch.BoxX1; x++)
            {
                float c = patch.Coverage[(y * patch.Width) + x];
                if (c <= 0) continue;
                c *= darkness;
                int p = ((((y + offsetY) * image.Width) + x + offsetX) * 3);
                pixels[p] = Blend(pixels[p], pen.R, c);
                pixels[p + 1] = Blend(pixels[p + 1], pen.G, c);
                pixels[p + 2] = Blend(pixels[p + 2], pen.B, c);
            }
        }
    }

    private static byte Blend(byte paper, float ink, float coverage) =>
        (byte)Math.Clamp(MathF.Round(paper + (coverage * (ink - paper))), 0, 255);

    private static (float R, float G, float B) PickPen(SceneRandom random)
    {
        float gray = (float)random.Uniform(5, 70);
        return random.NextInt(4) switch
        {
            0 => (gray * 0.5f, gray * 0.7f, Math.Min(PenCeiling, gray + 45)), // blue ballpoint
            1 => (gray + 10, gray + 10, gray + 10),                           // pencil-ish gray
            _ => (gray * 0.6f, gray * 0.6f, gray * 0.6f),                     // black ink
        };
    }

    private static RgbImage DrawPaper(int width, int height, SceneRandom random)
    {
        float tone = random.Chance(0.12) ? (float)random.Uniform(150, 185) : (float)random.Uniform(185, 250);
        var (tintR, tintG, tintB) = random.NextInt(4) switch
        {
            0 => (3f, 0f, -(float)random.Uniform(6, 20)),                                   // warm, yellowish
            1 => (-(float)random.Uniform(4, 12), -(float)random.Uniform(0, 4), 2f),         // cool
            2 => (-(float)random.Uniform(0, 6), 0f, -(float)random.Uniform(0, 6)),          // greenish gray
            _ => (0f, 0f, 0f),
        };

        // Linear shading across a random direction (light falling unevenly on the page).
        float dx = (float)random.Uniform(-1, 1), dy = (float)random.Uniform(-1, 1);
        float length = MathF.Sqrt((dx * dx) + (dy * dy)) + 1e-3f;
        float halfDiagonal = MathF.Sqrt((width * width) + (height * height)) / 2;
        float gradient = (float)random.Uniform(0, 40) / (length * halfDiagonal * 2);

        bool ruled = random.Chance(0.3);
        int spacing = random.Between(12, 26), phase = random.Between(0, 11), thickness = random.Chance(0.2) ? 2 : 1;
        bool grid = ruled && random.Chance(0.2);
        int marginX = ruled && random.Chance(0.35) ? random.Between(width / 10, width / 4) : -1;
        float noise = (float)random.Uniform(1, 10);

        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            bool onRow = ruled && (y + phase) % spacing < thickness;
            for (int x = 0; x < width; x++)
            {
                float shade = tone + (gradient * (((x - (width / 2f)) * dx) + ((y - (height / 2f)) * dy)));
                float r = shade + tintR, g = shade + tintG, b = shade + tintB;
                if (onRow || (grid && (x + phase) % spacing < thickness))
                {
                    r *= 0.78f;
                    g *= 0.86f;
                    b *= 0.97f;
                }
                else if (x == marginX || x == marginX + 1)
                {
                    g *= 0.72f;
                    b *= 0.74f;
                }
                float grain = (float)(random.NextDouble() + random.NextDouble() - 1) * noise;
                int p = ((y * width) + x) * 3;
                pixels[p] = ToPaper(r + grain);
                pixels[p + 1] = ToPaper(g + grain);
                pixels[p + 2] = ToPaper(b + grain);
            }
        }
        return new RgbImage(width, height, pixels);
    }

    private static byte ToPaper(float value) => (byte)Math.Clamp(MathF.Round(value), PaperFloor, 255);
}
