using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DigitMl.Data;

namespace DigitMl.Experiments.Artifacts;

/// <summary>
/// A hash that changes when the data a model was trained on changes: per split, the sorted list of image
/// files (path relative to the dataset root and size) and each image's labels (class and box). Two
/// copies of the same dataset in different folders get the same fingerprint.
/// </summary>
public static class DataFingerprint
{
    public static string Compute(string datasetRoot, IEnumerable<(string Split, IReadOnlyList<YoloSample> Samples)> splits)
    {
        var root = Path.GetFullPath(datasetRoot);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (split, samples) in splits.OrderBy(s => s.Split, StringComparer.Ordinal))
        {
            Append(hash, $"split {split} {samples.Count}\n");
            var lines = samples.Select(sample => Describe(root, sample)).Order(StringComparer.Ordinal);
            foreach (var line in lines) Append(hash, line);
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Describe(string root, YoloSample sample)
    {
        var relative = Path.GetRelativePath(root, Path.GetFullPath(sample.ImagePath)).Replace('\\', '/');
        long size = File.Exists(sample.ImagePath) ? new FileInfo(sample.ImagePath).Length : -1;
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"{relative} {size} {sample.Width}x{sample.Height} r{sample.RotationDegrees}");
        foreach (var labeled in sample.Objects)
        {
            var b = labeled.Box;
            builder.Append(CultureInfo.InvariantCulture, $" {labeled.ClassId}:{b.X0:0.###},{b.Y0:0.###},{b.X1:0.###},{b.Y1:0.###}");
        }

        return builder.Append('\n').ToString();
    }

    private static void Append(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
}
