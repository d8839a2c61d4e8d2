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

    public static string OnnxPath => Path.Combine(Directory, "model.onnx");

    public static IReadOnlyList<string> Images => [.. new[] { "a.png", "b.png", "c.png", "d.png" }.Select(n => Path.Combine(Directory, n))];

    private static string CreateFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"digitml-scoring-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(folder);
        torch.manual_seed(3);
        using (var model = new YoloV8Model(YoloV8Scale.Tiny, Names.Length))
        {
            // The reference's class-bias prior makes every score of an untrained model tiny; spread them out instead.
            using (torch.no_grad())
            {
                foreach (var (name, tensor) in model.state_dict())
                    if (name.StartsWith("model.22.cv3.", StringComparison.Ordinal) && name.EndsWith(".2.bias", StringComparison.Ordinal))
                        tensor.copy_(torch.randn_like(tensor) * 1.5 - 1);
            }

            model.eval();
            OnnxExporter.Export(model, Path.Combine(folder, "model.onnx"), new OnnxExportMetadata(Names, ImageSize));
        }

        var random = new Random(5);
        (string Name, int W, int H)[] images = [("a.png", 64, 64), ("b.png", 100, 60), ("c.png", 45, 90), ("d.png", 200, 150)];
        foreach (var (name, w, h) in images)
        {
            var pixels = new byte[w * h * 3];
            random.NextBytes(pixels);
            ImageEncoder.SavePng(new RgbImage(w, h, pixels), Path.Combine(folder, name));
        }

        return folder;
    }
}
