using System.Globalization;

namespace DigitMl.Experiments.Definitions;

/// <summary>
/// One named hyperparameter: how to read it from text (YAML, CLI, config.json), where it lives in
/// <see cref="TrialSettings"/>, and how to print it. Values are int, double, bool, string or null.
/// </summary>
public sealed class HyperParameter
{
    private readonly Func<string, object?> _parse;
    private readonly Func<TrialSettings, object?> _get;
    private readonly Func<TrialSettings, object?, TrialSettings> _with;

    internal HyperParameter(string key, string description, Func<string, object?> parse, Func<TrialSettings, object?> get, Func<TrialSettings, object?, TrialSettings> with)
    {
        Key = key;
        Description = description;
        _parse = parse;
        _get = get;
        _with = with;
    }

    public string Key { get; }

    public string Description { get; }

    /// <summary>Parses and validates a value; throws <see cref="FormatException"/> with a message naming the key.</summary>
    public object? Parse(string text)
    {
        try
        {
            return _parse(text.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new FormatException($"'{text}' is not a valid value for '{Key}': {e.Message}", e);
        }
    }

    public object? Get(TrialSettings settings) => _get(settings);

    public TrialSettings With(TrialSettings settings, object? value) => _with(settings, value);

    /// <summary>The value as text that <see cref="Parse"/> reads back to the same value.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public override string ToString() => Key;
}
