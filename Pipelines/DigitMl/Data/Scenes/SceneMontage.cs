using DigitMl.Data.Mnist;

namespace DigitMl.Data.Scenes;

/// <summary>
/// A contact sheet of generated scenes, exactly as the generator draws them for a split, with each digit's box
/// outlined in green (class at the top-left corner is not drawn: the box alone shows what is labelled, and
/// distractors stay unmarked). Non-square scenes are centred in their cell on a dark grey ground; scenes larger
/// than <c>maxCell</c> (page-level sheets) are shrunk by a whole factor, averaging pixels.
/// </summary>
public static class SceneMontage
{
    public static RgbImage Render(IDigitSource source, SceneOptions options, string split, int count, int columns, bool boxes = true, int gap = 4, int maxCell = 1024)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        int splitId = MnistSplit.Names.ToList().IndexOf(MnistSplit.Normalize(split));
        var pool = source.Pool(split);
        var scenes = new RenderedScene[count];
        Parallel.For(0, count, i => scenes[i] = SceneRenderer.Render(source, pool, options, SceneRandom.ForScene(options.Seed, splitId, i)));

        int factor = Math.Max(1, (scenes.Max(s => Math.Max(s.Image.Width, s.Image.Height)) + maxCell - 1) / maxCell);
        var images = scenes.Select(s => Shrink(s.Image, factor)).ToArray();
        int cell = images.Max(i => Math.Max(i.Width, i.Height));
        int cols = Math.Min(columns, count), rows = (count + cols - 1) / cols;
        int width = (cols * cell) + ((cols + 1) * gap), height = (rows * cell) + ((rows + 1) * gap);
        var sheet = new RgbImage(width, height);
        Array.Fill(sheet.Pixels, (byte)48);
        for (int i = 0; i < count; i++)
        {
            var image = images[i];
            int ox = gap + ((i % cols) * (cell + gap)) + ((cell - image.Width) / 2);
            int oy = gap + ((i / cols) * (cell + gap)) + ((cell - image.Height) / 2);
            for (int y = 0; y < image.Height; y++)
                Array.Copy(image.Pixels, y * image.Width * 3, sheet.Pixels, (((oy + y) * width) + ox) * 3, image.Width * 3);
            if (!boxes) continue;
            foreach (var d in scenes[i].Digits)
                Outline(sheet, ox + ((int)d.Box.X0 / factor) - 1, oy + ((int)d.Box.Y0 / factor) - 1, ox + (((int)d.Box.X1 + factor - 1) / factor), oy + (((int)d.Box.Y1 + factor - 1) / factor));
        }
        return sheet;
    }

    private static RgbImage Shrink(RgbImage image, int factor)
    {
        if (factor == 1) return image;
        int w = image.Width / factor, h = image.Height / factor;
        var pixels = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int sum = 0;
                    for (int dy = 0; dy < factor; dy++)
                        for (int dx = 0; dx < factor; dx++) sum += image.Pixels[((((y * factor) + dy) * image.Width) + (x * factor) + dx) * 3 + c];
                    pixels[(((y * w) + x) * 3) + c] = (byte)((sum + (factor * factor / 2)) / (factor * factor));
                }
            }
        }
        return new RgbImage(w, h, pixels);
    }

    /// <summary>One-pixel green rectangle just outside the box (so the ink at the box edge stays visible).</summary>
    private static void Outline(RgbImage image, int x0, int y0, int x1, int y1)
    {
        for (int x = x0; x <= x1; x++)
        {
            Set(image, x, y0);
            Set(image, x, y1);
        }
        for (int y = y0; y <= y1; y++)
        {
            Set(image, x0, y);
            Set(image, x1, y);
        }
    }

    private static void Set(RgbImage image, int x, int y)
    {
        if ((uint)x >= (uint)image.Width || (uint)y >= (uint)image.Height) return;
        int p = ((y * image.Width) + x) * 3;
        image.Pixels[p] = 0;
        image.Pixels[p + 1] = 230;
        image.Pixels[p + 2] = 60;
    }
}
