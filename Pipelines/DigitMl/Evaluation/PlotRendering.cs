using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using SkiaSharp;

namespace DigitMl.Evaluation;

/// <summary>Shared look and PNG output for the evaluation plots (OxyPlot drawn by SkiaSharp).</summary>
internal static class PlotRendering
{
    public const int Width = 1000, Height = 700;

    /// <summary>Ten distinct colours, then repeated (the classes are digits).</summary>
    public static readonly OxyColor[] Palette =
    [
        OxyColor.FromRgb(31, 119, 180), OxyColor.FromRgb(255, 127, 14), OxyColor.FromRgb(44, 160, 44),
        OxyColor.FromRgb(214, 39, 40), OxyColor.FromRgb(148, 103, 189), OxyColor.FromRgb(140, 86, 75),
        OxyColor.FromRgb(227, 119, 194), OxyColor.FromRgb(127, 127, 127), OxyColor.FromRgb(188, 189, 34),
        OxyColor.FromRgb(23, 190, 207),
    ];

    public static OxyColor ColorOf(int classId) => Palette[classId % Palette.Length];

    public static PlotModel NewModel(string title) => new()
    {
        Title = title,
        Background = OxyColors.White,
        DefaultFont = "DejaVu Sans",
        TitleFontSize = 16,
    };

    public static void AddUnitAxes(PlotModel model, string xTitle, string yTitle)
    {
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = xTitle, Minimum = 0, Maximum = 1, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = yTitle, Minimum = 0, Maximum = 1.02, MajorGridlineStyle = LineStyle.Dot });
    }

    public static void AddLegendOutside(PlotModel model) => model.Legends.Add(new Legend
    {
        LegendPlacement = LegendPlacement.Outside,
        LegendPosition = LegendPosition.RightTop,
        LegendFontSize = 12,
    });

    public static byte[] EncodePng(PlotModel model, int width = Width, int height = Height)
    {
        using var stream = new MemoryStream();
        new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height, UseTextShaping = false }.Export(model, stream);
        return stream.ToArray();
    }

    public static void SavePng(PlotModel model, string path, int width = Width, int height = Height) =>
        WriteAtomically(path, EncodePng(model, width, height));

    public static void SaveBitmap(SKBitmap bitmap, string path)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        WriteAtomically(path, data.ToArray());
    }

    /// <summary>The default typeface, or DejaVu Sans when the platform's font manager has no default (headless Linux).</summary>
    public static SKTypeface Typeface()
    {
        var named = SKTypeface.FromFamilyName("DejaVu Sans");
        return named ?? SKTypeface.Default;
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, full, overwrite: true);
    }
}
