using System.Globalization;
using DigitMl.Training.Settings;

namespace DigitMl.Experiments.Definitions;

/// <summary>
/// The hyperparameters an experiment can fix or search, by key: every trainer setting
/// (<see cref="TrainerSettings"/>, where each is defined once) and the experiment's own settings. One trainer
/// setting is not offered: <c>orientations</c>, which a trial derives from <c>rotate_policy</c> (turns: 4).
/// </summary>
public static class HyperParameters
{
    private const string DerivedOrientations = "orientations";
    private static readonly string[] RotatePolicies = ["drop", "keep", "relabel", "turns"];

    public static IReadOnlyList<HyperParameter> All { get; } =
    [
        .. TrainerSettings.All.Where(s => s.Key != DerivedOrientations)
            .Select(s => s.Lift<TrialSettings>(t => t.Trainer, (t, o) => t with { Trainer = o })),
        Setting.Text<TrialSettings>("rotate", "extra right-angle turns of the training split, e.g. 90,180,270 (none = no rotation)",
            s => s.Rotate.Length == 0 ? null : s.Rotate, (s, v) => s with { Rotate = CanonicalAngles(v) }, optional: true, rule: text => CanonicalAngles(text)),
        Setting.Choice<TrialSettings>("rotate_policy",
            "6/9 under rotation: drop (skip the conflicting turns of images with a 6 or 9), keep, relabel (6<->9), or turns (turn-aware classes; docs/orientation.md)",
            RotatePolicies, s => s.RotatePolicy, (s, v) => s with { RotatePolicy = v.ToLowerInvariant() }),
        Setting.OptionalInteger<TrialSettings>("train_images", "use only the first N training images (none = all)", 1, int.MaxValue,
            s => s.TrainImages, (s, v) => s with { TrainImages = v }),
        Setting.OptionalInteger<TrialSettings>("val_images", "validate on the first N validation images (none = all)", 1, int.MaxValue,
            s => s.ValImages, (s, v) => s with { ValImages = v }),
    ];

    private static readonly Dictionary<string, HyperParameter> ByKey = All.ToDictionary(p => p.Key, StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(string key, out HyperParameter parameter) => ByKey.TryGetValue(key, out parameter!);

    public static HyperParameter Get(string key) =>
        TryGet(key, out var parameter)
            ? parameter
            : throw new KeyNotFoundException($"unknown hyperparameter '{key}'; known: {string.Join(", ", All.Select(p => p.Key))}");

    /// <summary>Every hyperparameter of a trial by key, in the registry's order (config.json, leaderboard).</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> Describe(TrialSettings settings) =>
        All.Select(p => new KeyValuePair<string, object?>(p.Key, p.Get(settings))).ToList();

    /// <summary>Rebuilds settings from key/text pairs (config.json, sweep state).</summary>
    public static TrialSettings Apply(TrialSettings settings, IEnumerable<KeyValuePair<string, string>> values)
    {
        foreach (var (key, text) in values)
        {
            var parameter = Get(key);
            settings = parameter.With(settings, parameter.Parse(text));
        }

        return settings;
    }

    /// <summary>"270, 90" as "90,270"; empty for none; only 90, 180 and 270.</summary>
    private static string CanonicalAngles(string? text)
    {
        if (text is null || text.Length == 0 || text is "none" or "0") return "";
        var angles = text.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(a => int.TryParse(a, NumberStyles.Integer, CultureInfo.InvariantCulture, out int angle)
                ? angle
                : throw new ArgumentException($"'{a}' is not an angle"))
            .Distinct()
            .Order()
            .ToList();
        if (angles.Any(a => a is not (90 or 180 or 270)))
            throw new ArgumentException("angles must be 90, 180 and/or 270");
        return string.Join(',', angles);
    }
}
