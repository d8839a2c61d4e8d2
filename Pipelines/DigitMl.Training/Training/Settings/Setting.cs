using System.Globalization;

namespace DigitMl.Training.Settings;

/// <summary>What kind of value a <see cref="Setting{TOwner}"/> holds.</summary>
public enum SettingKind
{
    Integer,
    Number,
    Boolean,
    Choice,
    Text,
}

/// <summary>
/// One setting, defined once: its key (the YAML/CLI name, Ultralytics' where there is one), help text, kind, range
/// or choices, and where its value lives in <typeparamref name="TOwner"/> (an immutable options record). Parsing,
/// validation, printing and the default all come from here, so the CLI, experiment files, config.json and the
/// trainer accept exactly the same values. Values are int, double, bool, string or null (optional settings).
/// </summary>
public sealed class Setting<TOwner>
{
    private readonly Func<TOwner, object?> _get;
    private readonly Func<TOwner, object?, TOwner> _with;

    internal Setting(string key, string help, SettingKind kind, Func<TOwner, object?> get, Func<TOwner, object?, TOwner> with)
    {
        Key = key;
        Help = help;
        Kind = kind;
        _get = get;
        _with = with;
    }

    public string Key { get; }

    public string Help { get; }

    public SettingKind Kind { get; }

    /// <summary>Smallest allowed value (Integer, Number).</summary>
    public double? Min { get; init; }

    /// <summary>Largest allowed value (Integer, Number).</summary>
    public double? Max { get; init; }

    /// <summary>Integers must be a multiple of this.</summary>
    public int MultipleOf { get; init; } = 1;

    /// <summary>Allowed values of a Choice, in their canonical spelling (matched without case).</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Null is allowed (written as "none").</summary>
    public bool Optional { get; init; }

    /// <summary>Text settings: checks a value beyond its being text (throws ArgumentException with the rule).</summary>
    public Action<string>? TextRule { get; init; }

    public object? Get(TOwner owner) => _get(owner);

    /// <summary>The owner with this setting changed; the value is validated first.</summary>
    public TOwner With(TOwner owner, object? value)
    {
        Validate(value);
        return _with(owner, value);
    }

    /// <summary>The allowed values in words: "0 to 1", "multiple of 32 from 32 to 4096", "auto, SGD, Adam or AdamW".</summary>
    public string Range => Kind switch
    {
        SettingKind.Integer or SettingKind.Number => NumericRange(),
        SettingKind.Boolean => "true or false",
        SettingKind.Choice => Choices.Count == 1 ? Choices[0] : string.Join(", ", Choices.Take(Choices.Count - 1)) + " or " + Choices[^1],
        _ => Optional ? "text or none" : "text",
    } + (Optional && Kind != SettingKind.Text ? " (or none)" : "");

    /// <summary>Parses and validates text (YAML, --set, config.json); throws <see cref="FormatException"/> naming the key and what is allowed.</summary>
    public object? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        object? value;
        string? problem;
        try
        {
            value = Optional && trimmed is "" or "none" or "null" or "~" ? null : Kind switch
            {
                SettingKind.Integer => int.Parse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture),
                SettingKind.Number => double.Parse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture),
                SettingKind.Boolean => trimmed.ToLowerInvariant() switch
                {
                    "true" or "yes" or "on" or "1" => true,
                    "false" or "no" or "off" or "0" => false,
                    _ => throw new FormatException("expected true or false"),
                },
                SettingKind.Choice => Choices.FirstOrDefault(c => string.Equals(c, trimmed, StringComparison.OrdinalIgnoreCase))
                    ?? throw new FormatException("not one of the choices"),
                _ => trimmed,
            };
            problem = Problem(value);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            (value, problem) = (null, e.Message);
        }
        if (problem is not null)
            throw new FormatException($"'{text}' is not a valid value for '{Key}': {problem} (allowed: {Range})");
        return value;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="value"/> is outside what this setting allows.</summary>
    public void Validate(object? value)
    {
        if (Problem(value) is { } problem)
            throw new ArgumentException($"{Key} = {Setting.FormatValue(value)}: {problem} (allowed: {Range})");
    }

    /// <summary>What is wrong with <paramref name="value"/> ("must be a multiple of 32"), or null when it is allowed.</summary>
    public string? Problem(object? value)
    {
        if (value is null) return Optional ? null : "a value is required";
        switch (Kind)
        {
            case SettingKind.Integer:
                if (value is not int i) return "expected a whole number";
                if (i < Min || i > Max) return $"must be {NumericRange()}";
                return i % MultipleOf != 0 ? $"must be a multiple of {MultipleOf}" : null;
            case SettingKind.Number:
                double? d = value switch
                {
                    double x => x,
                    float x => x,
                    int x => x,
                    _ => null,
                };
                if (d is null) return "expected a number";
                return !double.IsFinite(d.Value) || d < Min || d > Max ? $"must be {NumericRange()}" : null;
            case SettingKind.Boolean:
                return value is bool ? null : "expected true or false";
            case SettingKind.Choice:
                return value is string c && Choices.Contains(c, StringComparer.OrdinalIgnoreCase) ? null : $"must be {Range}";
            default:
                if (value is not string t) return "expected text";
                try
                {
                    TextRule?.Invoke(t);
                    return null;
                }
                catch (ArgumentException e)
                {
                    return e.Message;
                }
        }
    }

    /// <summary>The value as text that <see cref="Parse"/> reads back to the same value ("none" for null).</summary>
    public string Format(object? value) => Setting.FormatValue(value);

    /// <summary>The same setting on a record that holds a <typeparamref name="TOwner"/> (for example an experiment's trial settings).</summary>
    public Setting<TOuter> Lift<TOuter>(Func<TOuter, TOwner> inner, Func<TOuter, TOwner, TOuter> withInner) =>
        new(Key, Help, Kind, outer => _get(inner(outer)), (outer, value) => withInner(outer, _with(inner(outer), value)))
        {
            Min = Min,
            Max = Max,
            MultipleOf = MultipleOf,
            Choices = Choices,
            Optional = Optional,
            TextRule = TextRule,
        };

    public override string ToString() => Key;

    private string NumericRange()
    {
        string min = Min is { } a ? Setting.FormatValue(Kind == SettingKind.Integer ? (int)a : a) : "";
        string max = Max is { } b ? Setting.FormatValue(Kind == SettingKind.Integer ? (int)b : b) : "";
        string span = (Min, Max) switch
        {
            ({ }, { }) => $"from {min} to {max}",
            ({ }, null) => $"at least {min}",
            (null, { }) => $"at most {max}",
            _ => "any number",
        };
        return MultipleOf > 1 ? $"a multiple of {MultipleOf} {span}" : span;
    }

}

/// <summary>Factories for <see cref="Setting{TOwner}"/>, and how values print.</summary>
public static class Setting
{
    /// <summary>A value as text that a setting parses back to the same value ("none" for null).</summary>
    public static string FormatValue(object? value) => value switch
    {
        null => "none",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static Setting<T> Integer<T>(string key, string help, int min, int max, Func<T, int> get, Func<T, int, T> with, int multipleOf = 1) =>
        new(key, help, SettingKind.Integer, o => get(o), (o, v) => with(o, Convert.ToInt32(v, CultureInfo.InvariantCulture)))
        {
            Min = min,
            Max = max,
            MultipleOf = multipleOf,
        };

    public static Setting<T> OptionalInteger<T>(string key, string help, int min, int max, Func<T, int?> get, Func<T, int?, T> with) =>
        new(key, help, SettingKind.Integer, o => get(o), (o, v) => with(o, v is null ? null : Convert.ToInt32(v, CultureInfo.InvariantCulture)))
        {
            Min = min,
            Max = max,
            Optional = true,
        };

    public static Setting<T> Number<T>(string key, string help, double min, double max, Func<T, double> get, Func<T, double, T> with) =>
        new(key, help, SettingKind.Number, o => get(o), (o, v) => with(o, Convert.ToDouble(v, CultureInfo.InvariantCulture)))
        {
            Min = min,
            Max = max,
        };

    public static Setting<T> Boolean<T>(string key, string help, Func<T, bool> get, Func<T, bool, T> with) =>
        new(key, help, SettingKind.Boolean, o => get(o), (o, v) => with(o, (bool)v!));

    public static Setting<T> Choice<T>(string key, string help, IReadOnlyList<string> choices, Func<T, string> get, Func<T, string, T> with) =>
        new(key, help, SettingKind.Choice, o => get(o), (o, v) => with(o, (string)v!))
        {
            Choices = choices,
        };

    public static Setting<T> Text<T>(string key, string help, Func<T, string?> get, Func<T, string?, T> with, bool optional = false, Action<string>? rule = null) =>
        new(key, help, SettingKind.Text, o => get(o), (o, v) => with(o, (string?)v))
        {
            Optional = optional,
            TextRule = rule,
        };
}
