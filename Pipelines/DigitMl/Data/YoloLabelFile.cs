using System.Globalization;

namespace DigitMl.Data;

/// <summary>
/// Reads one YOLO label file: a line per object, <c>class cx cy w h</c> normalised to the image (or a segment
/// <c>class x1 y1 x2 y2 ...</c>, which becomes the box around its points). Blank lines are allowed.
/// </summary>
internal static class YoloLabelFile
{
    /// <summary>The objects in pixels of a <paramref name="width"/> x <paramref name="height"/> image, and every problem found (file:line).</summary>
    public static List<LabeledBox> Read(string labelPath, int width, int height, int classCount, float tolerance, List<DatasetProblem> problems)
    {
        var objects = new List<LabeledBox>();
        string[] lines;
        try
        {
            lines = File.ReadAllLines(labelPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new(labelPath, 0, $"label file cannot be read ({e.Message})"));
            return objects;
        }
        for (int i = 0; i < lines.Length; i++)
        {
            string? problem = ParseLine(lines[i], width, height, classCount, tolerance, out var box);
            if (problem is not null) problems.Add(new(labelPath, i + 1, problem));
            else if (box is { } found) objects.Add(found);
        }
        return objects;
    }

    /// <summary>Null and the box (or no box for a blank line) when the line is valid, else what is wrong with it.</summary>
    internal static string? ParseLine(string line, int width, int height, int classCount, float tolerance, out LabeledBox? box)
    {
        box = null;
        var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0) return null;
        bool segment = fields.Length >= 7 && fields.Length % 2 == 1;
        if (fields.Length != 5 && !segment)
            return $"expected 5 values 'class cx cy w h' (or a segment 'class x1 y1 x2 y2 x3 y3 ...'), got {fields.Length}";

        if (!TryParseClass(fields[0], out int classId))
            return $"class id '{fields[0]}' is not an integer";
        if (classId < 0 || classId >= classCount)
            return $"class id {classId} outside names (0..{classCount - 1})";
        var values = new float[fields.Length - 1];
        for (int i = 1; i < fields.Length; i++)
        {
            if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i - 1]) || !float.IsFinite(values[i - 1]))
                return $"value '{fields[i]}' is not a number";
        }

        float x0, y0, x1, y1;
        if (segment)
        {
            (x0, y0, x1, y1) = (float.MaxValue, float.MaxValue, float.MinValue, float.MinValue);
            for (int i = 0; i < values.Length; i += 2)
            {
                (x0, x1) = (Math.Min(x0, values[i]), Math.Max(x1, values[i]));
                (y0, y1) = (Math.Min(y0, values[i + 1]), Math.Max(y1, values[i + 1]));
            }
        }
        else
        {
            var (cx, cy, w, h) = (values[0], values[1], values[2], values[3]);
            if (w < 0 || h < 0) return $"negative box size (w={Show(w)}, h={Show(h)})";
            (x0, y0, x1, y1) = (cx - (w / 2), cy - (h / 2), cx + (w / 2), cy + (h / 2));
        }

        if (Math.Min(Math.Min(x0, y0), Math.Min(x1, y1)) < -tolerance || Math.Max(Math.Max(x0, y0), Math.Max(x1, y1)) > 1 + tolerance)
            return $"box corners outside [0,1] (x0={Show(x0)}, y0={Show(y0)}, x1={Show(x1)}, y1={Show(y1)}; tolerance {Show(tolerance)})";
        (x0, y0, x1, y1) = (Math.Clamp(x0, 0, 1), Math.Clamp(y0, 0, 1), Math.Clamp(x1, 0, 1), Math.Clamp(y1, 0, 1));
        var pixels = new BoundingBox(x0 * width, y0 * height, x1 * width, y1 * height);
        if (pixels.Width <= 0 || pixels.Height <= 0)
            return $"zero-area box ({Show(pixels.Width)} x {Show(pixels.Height)} pixels)";
        box = new LabeledBox(classId, pixels);
        return null;
    }

    // Integers, and floats with an integral value ("3.0"), as Ultralytics reads the class column as float.
    private static bool TryParseClass(string text, out int classId)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out classId)) return true;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && double.IsFinite(value) && value == Math.Floor(value) && Math.Abs(value) < int.MaxValue)
        {
            classId = (int)value;
            return true;
        }
        return false;
    }

    private static string Show(float value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
