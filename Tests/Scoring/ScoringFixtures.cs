using System.Globalization;
using DigitMl.Data;
using DigitMl.Export;
using DigitMl.Modeling;
using TorchSharp;

namespace DigitMl.Tests.Scoring;

/// <summary>
/// Shared by the scoring tests: a tiny-scale detector with random weights exported at 64 px (made once per run),
/// and a few generated images of different sizes and aspect ratios.
/// </summary>
internal static class ScoringFixtures
{
    public const int ImageSize = 64;

    public static readonly string[] Names = Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private static readonly Lazy<string> Folder = new(CreateFolder);

    public static string Directory => Folder.Value;

    /// <summary>The model exported with dynamic height and width (the default).</summary>
    public static string OnnxPath => Path.Combine(Directory, "model.onnx");

    /// <summary>The same weights exported with a fixed 64 x 64 input, as exports were before dynamic axes.</summary>
    public static string FixedOnnxPath => Path.Combine(Directory, "model-fixed.onnx");

    /// <summary>A turn-aware model (4 x 10 class channels, orientations 4) with random weights.</summary>
    public static string TurnAwareOnnxPath => Path.Combine(Directory, "model-turns.onnx");

    /// <summary>a, b, c: up to 2x the training size (letterboxed in auto); d (200 x 150) and e (300 x 220) are "large".</summary>
    public static IReadOnlyList<string> Images => [.. new[] { "a.png", "b.png", "c.png", "d.png" }.Select(n => Path.Combine(Directory, n))];

    public static IReadOnlyList<string> SmallImages => Images.Take(3).ToList();

    public static string LargeImage => Path.Combine(Directory, "e.png");

    private static string CreateFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"digitml-scoring-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(folder);
        torch.manual_seed(3);
        using (var model = new YoloV8Model(YoloV8Scale.Tiny, Names.Length))
        {
            SpreadClassScores(model);

            model.eval();
            OnnxExporter.Export(model, Path.Combine(folder, "model.onnx"), new OnnxExportMetadata(Names, ImageSize));
            OnnxExporter.Export(model, Path.Combine(folder, "model-fixed.onnx"), new OnnxExportMetadata(Names, ImageSize) { DynamicSpatialAxes = false });
        }

        torch.manual_seed(4);
        using (var turnAware = new YoloV8Model(YoloV8Scale.Tiny, Names.Length, orientations: 4))
        {
            SpreadClassScores(turnAware);
            turnAware.eval();
            OnnxExporter.Export(turnAware, Path.Combine(folder, "model-turns.onnx"), new OnnxExportMetadata(Names, ImageSize) { Orientations = 4 });
        }

        var random = new Random(5);
        (string Name, int W, int H)[] images = [("a.png", 64, 64), ("b.png", 100, 60), ("c.png", 45, 90), ("d.png", 200, 150), ("e.png", 300, 220)];
        foreach (var (name, w, h) in images)
        {
            var pixels = new byte[w * h * 3];
            random.NextBytes(pixels);
            ImageEncoder.SavePng(new RgbImage(w, h, pixels), Path.Combine(folder, name));
        }

        return folder;
    }

    // The reference's class-bias prior makes every score of an untrained model tiny; spread them out instead.
    private static void SpreadClassScores(YoloV8Model model)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in model.state_dict())
            if (name.StartsWith("model.22.cv3.", StringComparison.Ordinal) && name.EndsWith(".2.bias", StringComparison.Ordinal))
                tensor.copy_(torch.randn_like(tensor) * 1.5 - 1);
    }
}
