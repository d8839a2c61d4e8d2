using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DigitMl.Pretrained;

/// <summary>
/// The provenance file next to shipped weights (artifacts/pretrained/yolov8n-digits.json): what the weights are (file,
/// SHA-256, tensors, scale, classes, image size, orientations) and how they were made (the experiment definition, the
/// trial's settings, data fingerprint, git commit, epochs, hours), plus the robustness-suite table of the model,
/// stored as the suite wrote it. docs/pretrained.md.
/// </summary>
public sealed record PretrainedProvenance
{
    public const string CurrentFormat = "digitml-pretrained/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Format { get; init; } = CurrentFormat;

    /// <summary>1 for the first published weights, one more for each later publication.</summary>
    public int Release { get; init; } = 1;

    /// <summary>File name of the weights, next to this file.</summary>
    public required string File { get; init; }

    /// <summary>SHA-256 of the weights file, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    public long Bytes { get; init; }

    /// <summary>Element type of the floating-point tensors: F16 or F32.</summary>
    public string Dtype { get; init; } = "F16";

    public int Tensors { get; init; }

    public required PretrainedModel Model { get; init; }

    public required PretrainedTraining Training { get; init; }

    /// <summary>The robustness suite's table for these weights (its JSON as written by the suite); null until filled.</summary>
    public JsonNode? Robustness { get; init; }

    public DateTime CreatedUtc { get; init; } = DateTime.UtcNow;

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public static PretrainedProvenance Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        PretrainedProvenance? provenance;
        try
        {
            provenance = JsonSerializer.Deserialize<PretrainedProvenance>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{sourceName}: not a pretrained-weights provenance file ({e.Message})", e);
        }
        if (provenance is null || provenance.Model is null || provenance.Training is null || string.IsNullOrEmpty(provenance.Sha256))
            throw new InvalidDataException($"{sourceName}: not a pretrained-weights provenance file (needs file, sha256, model and training)");
        if (provenance.Format != CurrentFormat)
            throw new InvalidDataException($"{sourceName}: provenance format '{provenance.Format}' is not {CurrentFormat}");
        return provenance;
    }

    public static PretrainedProvenance Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(System.IO.File.ReadAllText(path), path);
    }

    /// <summary>Writes the file (temporary file, then rename).</summary>
    public void Write(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + $".{Environment.ProcessId}.tmp";
        System.IO.File.WriteAllText(temp, ToJson());
        System.IO.File.Move(temp, full, overwrite: true);
    }
}

/// <summary>The network the weights are for.</summary>
public sealed record PretrainedModel(string Scale, IReadOnlyList<string> Names, int Orientations, int ImageSize, int RegMax)
{
    [JsonIgnore]
    public int NumClasses => Names.Count;
}

/// <summary>How the weights were trained (the artifact version they were published from).</summary>
public sealed record PretrainedTraining
{
    public required string Experiment { get; init; }

    public required string Version { get; init; }

    /// <summary>Where the experiment definition came from (a file, "train command", ...).</summary>
    public string? DefinitionSource { get; init; }

    /// <summary>The text of the experiment definition file, when it was a file.</summary>
    public string? Definition { get; init; }

    /// <summary>Every setting of the trial, as its config.json has them.</summary>
    public JsonObject? Hyperparameters { get; init; }

    /// <summary>The dataset part of config.json (yaml, fingerprint, names, image counts).</summary>
    public JsonObject? Data { get; init; }

    public string? DataFingerprint { get; init; }

    public string? GitCommit { get; init; }

    /// <summary>Epochs completed by the checkpoint the weights come from.</summary>
    public int Epochs { get; init; }

    /// <summary>Training wall time in hours (sum of the epochs' times), and on what machine.</summary>
    public double? Hours { get; init; }

    public string? Machine { get; init; }

    /// <summary>Validation fitness (0.1 mAP50 + 0.9 mAP50-95) of the checkpoint.</summary>
    public double? Fitness { get; init; }

    /// <summary>The version's metrics.json (validation; test too when it was scored).</summary>
    public JsonNode? Metrics { get; init; }
}
