using System.Security.Cryptography;
using DigitMl.Modeling;

namespace DigitMl.Pretrained;

/// <summary>
/// The digit-detector weights DigitMl ships (<c>--init pretrained</c>, <c>init: pretrained</c>): YOLOv8n trained on the
/// generated digit scenes, as fp16 safetensors with Ultralytics' state-dict names, and their provenance.
/// The repository keeps them in artifacts/pretrained/; the build embeds both files in DigitMl.Training.dll when
/// they exist, so the library finds them the same way in the repository, in a published app and as a package,
/// without a path or a download. A build made without the files has none and says so (<see cref="MissingMessage"/>).
/// Every read checks the bytes against the SHA-256 of the provenance. docs/pretrained.md.
/// </summary>
public static class PretrainedWeights
{
    /// <summary>The init value that names the shipped weights.</summary>
    public const string InitName = "pretrained";

    public const string WeightsFileName = "yolov8n-digits.safetensors";

    public const string ProvenanceFileName = "yolov8n-digits.json";

    /// <summary>Where the files live in the repository, relative to its root.</summary>
    public const string RepositoryFolder = "artifacts/pretrained";

    private const string ResourcePrefix = "DigitMl.Pretrained.";

    private static readonly Lazy<(byte[]? Weights, string? Provenance)> Embedded = new(ReadEmbedded);

    public static bool IsName(string? init) => string.Equals(init?.Trim(), InitName, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when this build of DigitMl.Training carries the weights and their provenance.</summary>
    public static bool IsAvailable => Embedded.Value is { Weights: not null, Provenance: not null };

    public static string MissingMessage =>
        $"this build of DigitMl.Training has no pretrained weights: {RepositoryFolder}/{WeightsFileName} and {ProvenanceFileName} " +
        "were not in the repository when it was built. Publish them from a trained version with " +
        $"`export --model artifacts/EXPERIMENT/vNNNN --pretrained` (docs/pretrained.md) and build again";

    /// <summary>The provenance of the shipped weights.</summary>
    public static PretrainedProvenance Provenance =>
        PretrainedProvenance.Parse(Embedded.Value.Provenance ?? throw new FileNotFoundException(MissingMessage), $"embedded {ProvenanceFileName}");

    /// <summary>The shipped safetensors bytes, checked against the provenance's SHA-256.</summary>
    public static byte[] ReadBytes()
    {
        var provenance = Provenance;
        var bytes = Embedded.Value.Weights ?? throw new FileNotFoundException(MissingMessage);
        ThrowIfHashDiffers(bytes, provenance, $"embedded {WeightsFileName}");
        return bytes;
    }

    /// <summary>The shipped tensors by state-dict name.</summary>
    public static IReadOnlyDictionary<string, StoredTensor> ReadTensors() => SafetensorsReader.Parse(ReadBytes(), Describe(Provenance));

    /// <summary>A short name for reports: "pretrained yolov8n-digits.safetensors (release 1, sha256 0123abcd...)".</summary>
    public static string Describe(PretrainedProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        return $"pretrained {provenance.File} (release {provenance.Release}, sha256 {provenance.Sha256[..Math.Min(12, provenance.Sha256.Length)]}...)";
    }

    /// <summary>
    /// Checks a weights file against its provenance: size and SHA-256, tensor count and element type, and that a model
    /// of the recorded scale, classes and orientations takes every tensor by name and shape. Returns the tensors.
    /// </summary>
    public static IReadOnlyDictionary<string, StoredTensor> Verify(string weightsPath, PretrainedProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(weightsPath);
        ArgumentNullException.ThrowIfNull(provenance);
        byte[] bytes = File.ReadAllBytes(weightsPath);
        if (bytes.LongLength != provenance.Bytes)
            throw new InvalidDataException($"{weightsPath}: {bytes.LongLength} bytes, its provenance says {provenance.Bytes}");
        ThrowIfHashDiffers(bytes, provenance, weightsPath);
        var tensors = SafetensorsReader.Parse(bytes, weightsPath);
        if (tensors.Count != provenance.Tensors)
            throw new InvalidDataException($"{weightsPath}: {tensors.Count} tensors, its provenance says {provenance.Tensors}");
        using var model = CreateModel(provenance);
        var expected = model.state_dict();
        var wrong = expected.Where(kv => !tensors.TryGetValue(kv.Key, out var t) || !t.Shape.SequenceEqual(kv.Value.shape)).Select(kv => kv.Key)
            .Concat(tensors.Keys.Where(k => !expected.ContainsKey(k))).Take(5).ToList();
        if (wrong.Count > 0)
            throw new InvalidDataException($"{weightsPath}: does not fit YOLOv8{provenance.Model.Scale} with {provenance.Model.NumClasses} classes x " +
                $"{provenance.Model.Orientations} orientations (first entries missing, misshapen or extra: {string.Join(", ", wrong)})");
        return tensors;
    }

    /// <summary>A fresh model of the architecture the provenance describes (random weights).</summary>
    public static YoloV8Model CreateModel(PretrainedProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        return new YoloV8Model(YoloV8Scale.Parse(provenance.Model.Scale), provenance.Model.NumClasses, provenance.Model.RegMax,
            provenance.Model.Orientations, provenance.Model.ImageSize);
    }

    public static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static void ThrowIfHashDiffers(byte[] bytes, PretrainedProvenance provenance, string sourceName)
    {
        string actual = Sha256Of(bytes);
        if (!string.Equals(actual, provenance.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{sourceName}: SHA-256 {actual} differs from its provenance's {provenance.Sha256} (changed after publishing?)");
    }

    private static (byte[]? Weights, string? Provenance) ReadEmbedded()
    {
        var assembly = typeof(PretrainedWeights).Assembly;
        byte[]? weights = null;
        string? provenance = null;
        using (var stream = assembly.GetManifestResourceStream(ResourcePrefix + WeightsFileName))
        {
            if (stream is not null)
            {
                weights = new byte[stream.Length];
                stream.ReadExactly(weights);
            }
        }
        using (var stream = assembly.GetManifestResourceStream(ResourcePrefix + ProvenanceFileName))
        {
            if (stream is not null)
            {
                using var reader = new StreamReader(stream);
                provenance = reader.ReadToEnd();
            }
        }
        return (weights, provenance);
    }

    /// <summary>The names of the resources a build embeds (for tests that compare them with the repository's files).</summary>
    internal static IReadOnlyList<string> EmbeddedResourceNames() =>
        [.. typeof(PretrainedWeights).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))];
}
