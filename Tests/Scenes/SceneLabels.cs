using System.Globalization;
using DigitMl.Data;

namespace DigitMl.Tests.Scenes;

/// <summary>Reads a generated label file back into class ids and whole-pixel boxes (what the tests check against).</summary>
internal static class SceneLabels
{
    public static List<(int ClassId, float Cx, float Cy, float W, float H)> ReadNormalised(string path) =>
        [.. File.ReadAllLines(path).Select(line =>
        {
            var f = line.Split(' ');
            Assert.That(f, Has.Length.EqualTo(5), $"{path}: '{line}'");
            return (int.Parse(f[0], CultureInfo.InvariantCulture), float.Parse(f[1], CultureInfo.InvariantCulture),
                float.Parse(f[2], CultureInfo.InvariantCulture), float.Parse(f[3], CultureInfo.InvariantCulture),
                float.Parse(f[4], CultureInfo.InvariantCulture));
        })];

    /// <summary>Boxes in pixels; the generator's boxes are whole pixels, so rounding recovers them exactly.</summary>
    public static List<(int ClassId, int X0, int Y0, int X1, int Y1)> ReadPixels(string path, int width, int height) =>
        [.. ReadNormalised(path).Select(l => (l.ClassId,
            (int)MathF.Round((l.Cx - (l.W / 2)) * width), (int)MathF.Round((l.Cy - (l.H / 2)) * height),
            (int)MathF.Round((l.Cx + (l.W / 2)) * width), (int)MathF.Round((l.Cy + (l.H / 2)) * height)))];

    public static BoundingBox ToBox((int ClassId, int X0, int Y0, int X1, int Y1) l) => new(l.X0, l.Y0, l.X1, l.Y1);
}
