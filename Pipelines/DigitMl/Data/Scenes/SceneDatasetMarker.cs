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

    /// <summary>The marker text: generator version, every option (the whole record, variation included) and the digit source's fingerprint.</summary>
    public static string Expected(SceneOptions options, MnistDigits digits) => Expected(options, new MnistDigitSource(digits));

    public static string Expected(SceneOptions options, IDigitSource source)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        return JsonSerializer.Serialize(new
        {
            generator = SceneGenerator.Version,
            options,
            digits = source.Name,
            digitsSha256 = source.Fingerprint,
        }, JsonOptions);
    }

    public static bool Matches(string datasetDir, string expected)
    {
        string path = Path.Combine(datasetDir, FileName);
        return File.Exists(path) && File.Exists(Path.Combine(datasetDir, SceneGenerator.DataYamlFileName)) && File.ReadAllText(path) == expected;
    }

    /// <summary>Whether <paramref name="dir"/> is a (possibly stale) dataset this generator wrote, and so may be replaced.</summary>
    public static bool IsGenerated(string dir) => File.Exists(Path.Combine(dir, FileName));

    /// <summary>SHA-256 (lower-case hex) of the given byte arrays, in order.</summary>
    public static string Sha256Hex(params byte[][] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts) sha.AppendData(part);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
