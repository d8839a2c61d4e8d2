using System.Globalization;
using System.Text;
using DigitMl.Data;

namespace DigitMl.Evaluation;

/// <summary>
/// Detections as YOLO txt files (Ultralytics <c>save_txt</c> + <c>save_conf</c>): one file per image named after the
/// image's stem, one line per detection, <c>class cx cy w h conf</c>, coordinates normalised to the image size.
/// A missing file means the image has no detections.
/// </summary>
public static class PredictionFiles
{
    /// <summary>
    /// The detections of every sample, aligned with <paramref name="samples"/>, from <c>dir/&lt;stem&gt;.txt</c>.
    /// A txt file in <paramref name="dir"/> whose stem is no sample's fails naming the file: its detections would
    /// otherwise be lost without a word (predictions of another split, or of renamed images).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<Detection>> Read(string dir, IReadOnlyList<YoloSample> samples, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"prediction folder not found: {dir}");
        var stems = samples.Select(s => Path.GetFileNameWithoutExtension(s.ImagePath)).ToHashSet(StringComparer.Ordinal);
        if (Directory.EnumerateFiles(dir, "*.txt").Order(StringComparer.Ordinal).FirstOrDefault(f => !stems.Contains(Path.GetFileNameWithoutExtension(f))) is { } stray)
        {
            throw new InvalidDataException(
                $"{stray}: predictions for an image that is not in the evaluated split (no image named '{Path.GetFileNameWithoutExtension(stray)}.*' among its {samples.Count}); " +
                "give a folder holding this split's prediction files only");
        }
        return samples.Select(s => ReadFile(PathFor(dir, s), s.Width, s.Height, names)).ToArray();
    }

    /// <summary>Writes one file per sample (an empty file when it has no detections).</summary>
    public static void Write(string dir, IReadOnlyList<YoloSample> samples, IReadOnlyList<IReadOnlyList<Detection>> predictions)
    {
        if (samples.Count != predictions.Count)
            throw new ArgumentException($"{samples.Count} samples but {predictions.Count} prediction lists");
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < samples.Count; i++)
        {
            var path = PathFor(dir, samples[i]);
            if (seen.TryGetValue(path, out var other) && other != samples[i].ImagePath)
                throw new ArgumentException($"images {other} and {samples[i].ImagePath} share the stem of {path}");
            seen[path] = samples[i].ImagePath;
            WriteFile(path, samples[i].Width, samples[i].Height, predictions[i]);
        }
    }

    /// <summary>The prediction file of one image: <c>dir/&lt;image stem&gt;.txt</c>.</summary>
    public static string PathFor(string dir, YoloSample sample) => Path.Combine(dir, Path.GetFileNameWithoutExtension(sample.ImagePath) + ".txt");

    public static void WriteFile(string path, int width, int height, IReadOnlyList<Detection> detections)
    {
        var text = new StringBuilder();
        foreach (var d in detections)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{d.ClassId} {d.Box.CenterX / width:0.######} {d.Box.CenterY / height:0.######} {d.Box.Width / width:0.######} {d.Box.Height / height:0.######} {d.Score:0.######}\n");
        }
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Detections of one image; none when the file does not exist. Malformed lines fail with file:line.</summary>
    public static IReadOnlyList<Detection> ReadFile(string path, int width, int height, IReadOnlyList<string> names)
    {
        if (!File.Exists(path)) return [];
        var detections = new List<Detection>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 6)
                throw new FormatException($"{path}:{lineNumber}: expected 6 values 'class cx cy w h conf', found {parts.Length}: '{line}'");
            if (!TryParseClass(parts[0], out int classId))
                throw new FormatException($"{path}:{lineNumber}: class '{parts[0]}' is not an integer");
            if (classId < 0 || classId >= names.Count)
                throw new FormatException($"{path}:{lineNumber}: class {classId} is outside 0..{names.Count - 1}: unknown to the dataset, which names {names.Count} classes");
            var v = new float[5];
            for (int k = 0; k < 5; k++)
            {
                if (!float.TryParse(parts[k + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out v[k]))
                    throw new FormatException($"{path}:{lineNumber}: {FieldNames[k]} '{parts[k + 1]}' is not a number");
                if (!float.IsFinite(v[k]))
                    throw new FormatException($"{path}:{lineNumber}: {FieldNames[k]} '{parts[k + 1]}' is not a finite number");
            }
            if (v[2] < 0 || v[3] < 0)
                throw new FormatException($"{path}:{lineNumber}: negative width or height");
            if (RangeProblem(v) is { } problem)
                throw new FormatException($"{path}:{lineNumber}: {problem}");
            var box = BoundingBox.FromCenter(v[0] * width, v[1] * height, v[2] * width, v[3] * height);
            detections.Add(new Detection(classId, names[classId], v[4], box));
        }
        return detections;
    }

    private static readonly string[] FieldNames = ["cx", "cy", "w", "h", "confidence"];

    // 6 significant digits (Ultralytics' %g) or 6 decimals (our writer) put a clipped box's edge up to ~1e-6 past the
    // border; anything further out is not a box of this image
    private const float EdgeTolerance = 1e-3f;

    /// <summary>Why the values <c>cx cy w h conf</c> of a line are out of range, or null when they are fine.</summary>
    private static string? RangeProblem(float[] v)
    {
        for (int k = 0; k < 5; k++)
        {
            if (v[k] is < 0 or > 1)
                return string.Create(CultureInfo.InvariantCulture, $"{FieldNames[k]} {v[k]} is outside 0..1 ({(k < 4 ? "coordinates are normalised to the image size" : "a confidence")})");
        }
        float x0 = v[0] - (v[2] / 2), x1 = v[0] + (v[2] / 2), y0 = v[1] - (v[3] / 2), y1 = v[1] + (v[3] / 2);
        if (x0 < -EdgeTolerance || y0 < -EdgeTolerance || x1 > 1 + EdgeTolerance || y1 > 1 + EdgeTolerance)
            return string.Create(CultureInfo.InvariantCulture, $"the box reaches outside the image (normalised x {x0:0.####}..{x1:0.####}, y {y0:0.####}..{y1:0.####}; boxes must lie within 0..1)");
        return null;
    }

    // "3" or a whole real like "3.0" (some tools write classes as floats)
    private static bool TryParseClass(string text, out int classId)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out classId)) return true;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && real == Math.Floor(real) && Math.Abs(real) < int.MaxValue)
        {
            classId = (int)real;
            return true;
        }
        return false;
    }
}
