using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DigitMl.Experiments.Artifacts;

/// <summary>
/// Reading and writing the experiments' JSON files (config.json, trial.json, metrics.json, sweep state).
/// JSON has no NaN or infinity. The rule: a number that may legitimately be unknown is nullable where it is
/// made and written as null (fitness_by_epoch of an epoch no state recorded, images/s of a trial that timed
/// nothing); any other non-finite number is a bug and is refused with the file and the key, before anything
/// is written, so a file is never left half-written or holding a value readers cannot parse.
/// </summary>
public static class JsonFiles
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Options for serialized records: indented; non-finite numbers refused (<see cref="FiniteNumberConverter"/>), or,
    /// with <paramref name="nonFiniteAsNull"/>, written as null (for reports of measured ratios, where a ratio over
    /// a zero measurement is "not measurable", not a reason to lose the whole report).
    /// </summary>
    public static JsonSerializerOptions SerializerOptions(bool nonFiniteAsNull = false) => new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { nonFiniteAsNull ? new NonFiniteAsNullConverter() : new FiniteNumberConverter() },
    };

    /// <summary>Writes <paramref name="json"/> atomically after checking that every number in it is finite.</summary>
    public static void Write(string path, JsonNode json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (FirstNonFinite(json) is var (node, value))
            throw new InvalidDataException($"{path}: {node.GetPath()} is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}, which JSON cannot hold; nothing was written");
        AtomicFile.WriteAllText(path, json.ToJsonString(Indented));
    }

    /// <summary>Serializes <paramref name="value"/> with <paramref name="options"/> and writes it atomically; a non-finite number is refused with the file named.</summary>
    public static void Write<T>(string path, T value, JsonSerializerOptions options)
    {
        string text;
        try
        {
            text = JsonSerializer.Serialize(value, options);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: {e.Message}; nothing was written", e);
        }

        AtomicFile.WriteAllText(path, text);
    }

    /// <summary>A number for a JSON object: the value when finite, null (unknown) otherwise.</summary>
    public static JsonNode? FiniteOrNull(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    /// <summary>The file's JSON object, or null when the file is missing; a clear error when it is not JSON.</summary>
    public static JsonObject? ReadObject(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                   ?? throw new InvalidDataException($"{path}:1: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {e.Message}", e);
        }
    }

    public static double? Number(JsonNode? node, string key) =>
        node?[key] is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;

    public static string? Text(JsonNode? node, string key) =>
        node?[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static (JsonNode Node, double Value)? FirstNonFinite(JsonNode? node) => node switch
    {
        JsonObject o => o.Select(p => FirstNonFinite(p.Value)).FirstOrDefault(v => v is not null),
        JsonArray a => a.Select(FirstNonFinite).FirstOrDefault(v => v is not null),
        JsonValue v when v.TryGetValue<double>(out var d) && !double.IsFinite(d) => (v, d),
        JsonValue v when v.TryGetValue<float>(out var f) && !float.IsFinite(f) => (v, f),
        _ => null,
    };

    /// <summary>Writes doubles as JSON numbers and refuses NaN and infinity with a message that names the value.</summary>
    public sealed class FiniteNumberConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            if (!double.IsFinite(value))
                throw new JsonException($"a number is {value}, which JSON cannot hold (at byte {writer.BytesPending + writer.BytesCommitted} of the output)");
            writer.WriteNumberValue(value);
        }
    }

    /// <summary>Writes NaN and infinity as null; reads null back as NaN.</summary>
    public sealed class NonFiniteAsNullConverter : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }
}
