using System.Text.Json;
using System.Text.Json.Nodes;

namespace DigitMl.Experiments.Artifacts;

internal static class JsonFiles
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

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
}
