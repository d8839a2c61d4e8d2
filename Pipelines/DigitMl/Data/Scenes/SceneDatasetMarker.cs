using System.Security.Cryptography;
using System.Text.Json;
using DigitMl.Data.Mnist;

namespace DigitMl.Data.Scenes;

/// <summary>
/// The `.complete` file written last into a generated dataset: generator version, options and a hash of
/// the source digits. Its presence means the folder is whole; its content says what it was generated from.
/// </summary>
public static class SceneDatasetMarker
{
    public const string FileName = ".complete";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static string Expected(SceneOptions options, MnistDigits digits) => JsonSerializer.Serialize(new
    {
        generator = SceneGenerator.Version,
        options.Train,
        options.Val,
        options.Test,
        options.Width,
        options.Height,
        options.Seed,
        options.MinDigitHeight,
        options.MaxDigitHeight,
        options.MaxDigits,
        options.EmptyFraction,
        mnistSha256 = Fingerprint(digits),
    }, JsonOptions);

    public static bool Matches(string datasetDir, string expected)
    {
        string path = Path.Combine(datasetDir, FileName);
        return File.Exists(path) && File.Exists(Path.Combine(datasetDir, SceneGenerator.DataYamlFileName)) && File.ReadAllText(path) == expected;
    }

    /// <summary>Whether <paramref name="dir"/> is a (possibly stale) dataset this generator wrote, and so may be replaced.</summary>
    public static bool IsGenerated(string dir) => File.Exists(Path.Combine(dir, FileName));

    private static string Fingerprint(MnistDigits digits)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(digits.AllPixels);
        sha.AppendData(digits.AllLabels);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
