using DigitMl.Data;
using DigitMl.Data.Scenes;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Scenes;

/// <summary>Helpers that render test scenes and measure their pixels.</summary>
internal static class ScenePixels
{
    public static RenderedScene Render(SceneVariation variation, int index, int seed = 3, SceneOptions? options = null) =>
        SceneRenderer.Render(TinyScenes.Mnist, TinyScenes.Mnist.Pool("train"), (options ?? SceneOptions.Default) with { Variation = variation }, SceneRandom.ForScene(seed, 0, index));

    public static IEnumerable<RenderedScene> Many(SceneVariation variation, int count, int seed = 3, SceneOptions? options = null) =>
        Enumerable.Range(0, count).Select(i => Render(variation, i, seed, options));

    public static float Luma(RgbImage image, int p) => (0.299f * image.Pixels[p]) + (0.587f * image.Pixels[p + 1]) + (0.114f * image.Pixels[p + 2]);

    /// <summary>Pixel offsets (into Pixels, step 3) where the labelled digits changed the page.</summary>
    public static List<int> InkPixels(RenderedScene scene)
    {
        var list = new List<int>();
        var (a, b) = (scene.Page.Pixels, scene.Background.Pixels);
        for (int p = 0; p < a.Length; p += 3)
            if (a[p] != b[p] || a[p + 1] != b[p + 1] || a[p + 2] != b[p + 2]) list.Add(p);
        return list;
    }

    /// <summary>Mean colour of the page at the most strongly inked tenth of the digit pixels (the pen's own colour).</summary>
    public static (float R, float G, float B) PenColour(RenderedScene scene)
    {
        var ink = InkPixels(scene);
        var strongest = ink.OrderByDescending(p => Math.Abs(Luma(scene.Page, p) - Luma(scene.Background, p))).Take(Math.Max(1, ink.Count / 10)).ToList();
        return ((float)strongest.Average(p => scene.Page.Pixels[p]), (float)strongest.Average(p => scene.Page.Pixels[p + 1]), (float)strongest.Average(p => scene.Page.Pixels[p + 2]));
    }

    /// <summary>Mean absolute difference between horizontally neighbouring pixels (a measure of fine detail).</summary>
    public static double Detail(RgbImage image)
    {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 1; x < image.Width; x++)
            {
                int p = ((y * image.Width) + x) * 3;
                sum += Math.Abs(image.Pixels[p] - image.Pixels[p - 3]) + Math.Abs(image.Pixels[p + 1] - image.Pixels[p - 2]) + Math.Abs(image.Pixels[p + 2] - image.Pixels[p - 1]);
                n += 3;
            }
        }
        return sum / n;
    }

    public static double MeanAbsDifference(RgbImage a, RgbImage b)
    {
        Assert.That((a.Width, a.Height), Is.EqualTo((b.Width, b.Height)));
        double sum = 0;
        for (int i = 0; i < a.Pixels.Length; i++) sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return sum / a.Pixels.Length;
    }
}
