using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DigitMl.Data.Scenes;

/// <summary>
/// Domain randomisation of the scene generator: a share of plain scenes (today's look), and for the others one
/// record per family of effects. Every field is part of the dataset fingerprint. <see cref="Mixed"/> is the
/// default of the `data` command and so of the main job; docs/scenes.md shows each family and says why these
/// proportions.
/// </summary>
public sealed record SceneVariation
{
    private static readonly JsonSerializerOptions KeyJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Scenes drawn plain: light paper with a mild gradient and grain, 30% lightly ruled, black, grey or blue pen, no other effect.</summary>
    public double PlainShare { get; init; } = 0.25;

    public PaperVariation Paper { get; init; } = new();

    public InkVariation Ink { get; init; } = new();

    public CaptureVariation Capture { get; init; } = new();

    public LayoutVariation Layout { get; init; } = new();

    public DistractorVariation Distractors { get; init; } = new();

    /// <summary>The default mix: a quarter plain scenes, the rest with every family at its default shares.</summary>
    public static SceneVariation Mixed { get; } = new();

    /// <summary>Only plain scenes (the look of the generator before domain randomisation).</summary>
    public static SceneVariation Plain { get; } = new() { PlainShare = 1 };

    /// <summary>No effect at all: the base to switch single effects on (the robustness suite's conditions).</summary>
    public static SceneVariation None { get; } = new()
    {
        PlainShare = 0, Paper = PaperVariation.None, Ink = InkVariation.None, Capture = CaptureVariation.None,
        Layout = LayoutVariation.None, Distractors = DistractorVariation.None,
    };

    /// <summary>The presets by name (`data --variation NAME`): mixed, plain, none (the base for `--vary`), and one per family at a strong setting.</summary>
    public static IReadOnlyDictionary<string, SceneVariation> Presets { get; } = new Dictionary<string, SceneVariation>(StringComparer.OrdinalIgnoreCase)
    {
        ["mixed"] = Mixed,
        ["plain"] = Plain,
        ["none"] = None,
        ["paper"] = None with { Paper = PaperVariation.Strong },
        ["ink"] = None with { Ink = InkVariation.Strong },
        ["light-on-dark"] = None with { Ink = InkVariation.LightOnDark },
        ["capture"] = None with { Capture = CaptureVariation.Strong },
        ["geometry"] = None with { Layout = LayoutVariation.Strong },
        ["distractors"] = None with { Distractors = DistractorVariation.Strong },
    };

    /// <summary>The preset called <paramref name="name"/>; the error lists the known names.</summary>
    public static SceneVariation Preset(string name) =>
        Presets.TryGetValue(name, out var preset)
            ? preset
            : throw new ArgumentException($"unknown variation '{name}' (known: {string.Join(", ", Presets.Keys)})");

    /// <summary>
    /// This variation with one option changed by its key: `plainShare`, or `family.option` as in
    /// `capture.jpegShare` or `ink.lightOnDarkShare` (case-insensitive; the keys are the property names).
    /// </summary>
    public SceneVariation With(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var root = JsonSerializer.SerializeToNode(this, KeyJson)!.AsObject();
        var parts = key.Split('.');
        JsonObject target = root;
        Type type = typeof(SceneVariation);
        for (int i = 0; i < parts.Length - 1; i++)
        {
            var family = FindProperty(type, parts[i], key);
            type = family.PropertyType;
            target = target[JsonNamingPolicy.CamelCase.ConvertName(family.Name)] as JsonObject
                ?? throw new ArgumentException($"unknown variation key '{key}': '{parts[i]}' is an option, not a family");
        }
        var option = FindProperty(type, parts[^1], key);
        if (option.PropertyType != typeof(double) && option.PropertyType != typeof(int))
            throw new ArgumentException($"variation key '{key}' names a family; give one of its options ({string.Join(", ", Keys.Where(k => k.StartsWith(key + ".", StringComparison.OrdinalIgnoreCase)))})");
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number))
            throw new ArgumentException($"variation key '{key}': '{value}' is not a number");
        string name = JsonNamingPolicy.CamelCase.ConvertName(option.Name);
        if (option.PropertyType == typeof(int))
        {
            if (number != Math.Floor(number) || Math.Abs(number) > int.MaxValue) throw new ArgumentException($"variation key '{key}': '{value}' must be a whole number");
            target[name] = JsonValue.Create((int)number);
        }
        else
        {
            target[name] = JsonValue.Create(number);
        }
        try
        {
            return root.Deserialize<SceneVariation>(KeyJson)!;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"variation key '{key}': '{value}' does not fit ({e.Message})", e);
        }
    }

    /// <summary>Every option key of <see cref="With"/>, for help texts and error messages.</summary>
    public static IReadOnlyList<string> Keys { get; } = ListKeys(JsonSerializer.SerializeToNode(new SceneVariation(), KeyJson)!.AsObject(), "");

    /// <summary>Throws with a message naming the bad option.</summary>
    public void Validate()
    {
        VariationChecks.Share("plainShare", PlainShare);
        Paper.Validate();
        Ink.Validate();
        Capture.Validate();
        Layout.Validate();
        Distractors.Validate();
    }

    private static System.Reflection.PropertyInfo FindProperty(Type type, string part, string key) =>
        type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(p.Name, part, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown variation key '{key}' (known: {string.Join(", ", Keys)})");

    private static List<string> ListKeys(JsonObject obj, string prefix)
    {
        var keys = new List<string>();
        foreach (var p in obj)
        {
            if (p.Value is JsonObject child) keys.AddRange(ListKeys(child, prefix + p.Key + "."));
            else keys.Add(prefix + p.Key);
        }
        return keys;
    }
}
