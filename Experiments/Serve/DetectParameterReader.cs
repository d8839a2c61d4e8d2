using System.Globalization;
using DigitMl.Scoring;

namespace DigitMl.Experiments.Serve;

/// <summary>
/// Reads <see cref="DetectParameters"/> from the query string and the text fields of a multipart body. One table
/// entry per parameter: its name, what it accepts (shown in errors and by <c>GET /v1/model</c>) and how it is parsed.
/// Unknown names, repeated names and values out of range are refused with a message naming the parameter.
/// </summary>
public static class DetectParameterReader
{
    public sealed record Parameter(string Name, string Accepts, Func<DetectParameters, string, DetectParameters> Apply);

    public static IReadOnlyList<Parameter> Parameters { get; } =
    [
        new("conf", "a number, 0 <= conf < 1 (default: the model's threshold)",
            (p, v) => p with { Confidence = Number(v, "conf", min: 0, minIncluded: true, max: 1, maxIncluded: false) }),
        new("iou", "a number, 0 < iou <= 1 (default: the model's NMS threshold)",
            (p, v) => p with { IoU = Number(v, "iou", min: 0, minIncluded: false, max: 1, maxIncluded: true) }),
        new("max_det", $"a whole number, 1 <= max_det <= {ServeOptions.MaxDetectionsLimit} (default: the model's)",
            (p, v) => p with { MaxDetections = Integer(v, "max_det", 1, ServeOptions.MaxDetectionsLimit) }),
        new("inference", "auto, letterbox, native or tiles (default: the model's, auto)",
            (p, v) => p with { Inference = Choice<InferenceMode>(v, "inference") }),
        new("orientation", "auto, on or off: the page turn by a vote of all digits (default: the model's, auto)",
            (p, v) => p with { Orientation = Choice<PageOrientationMode>(v, "orientation") }),
    ];

    /// <summary>Parameters from name/value pairs (query string first, then form fields). Throws <see cref="ParameterException"/>.</summary>
    public static DetectParameters Read(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = DetectParameters.Defaults;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            var parameter = Parameters.FirstOrDefault(p => p.Name == name)
                ?? throw new ParameterException(name, $"unknown parameter '{name}'; known: {string.Join(", ", Parameters.Select(p => p.Name))}");
            if (!seen.Add(name))
                throw new ParameterException(name, $"parameter '{name}' is given more than once");
            result = parameter.Apply(result, value.Trim());
        }

        return result;
    }

    private static float Number(string text, string name, float min, bool minIncluded, float max, bool maxIncluded)
    {
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
            throw new ParameterException(name, $"{name} must be a number, got '{text}'");
        bool aboveMin = minIncluded ? value >= min : value > min;
        bool belowMax = maxIncluded ? value <= max : value < max;
        if (!aboveMin || !belowMax)
            throw new ParameterException(name, $"{name} must be in {(minIncluded ? "[" : "(")}{min}, {max}{(maxIncluded ? "]" : ")")}, got {text}");
        return value;
    }

    private static T Choice<T>(string text, string name) where T : struct, Enum
    {
        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)) return value;
        throw new ParameterException(name, $"{name} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, got '{text}'");
    }

    private static int Integer(string text, string name, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            throw new ParameterException(name, $"{name} must be a whole number, got '{text}'");
        if (value < min || value > max)
            throw new ParameterException(name, $"{name} must be between {min} and {max}, got {value}");
        return value;
    }
}

/// <summary>A request parameter that cannot be used: answered with 400 and this message.</summary>
public sealed class ParameterException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}
