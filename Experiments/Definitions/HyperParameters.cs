using System.Globalization;

namespace DigitMl.Experiments.Definitions;

/// <summary>The hyperparameters an experiment can fix or search, by their YAML/CLI key.</summary>
public static class HyperParameters
{
    private static readonly string[] Scales = ["n", "s", "m", "l", "x", "tiny"];
    private static readonly string[] Optimizers = ["auto", "SGD", "Adam", "AdamW"];
    private static readonly string[] RotatePolicies = ["keep", "drop", "relabel"];

    public static IReadOnlyList<HyperParameter> All { get; } =
    [
        Choice("scale", "model scale: n, s, m, l, x or tiny", Scales, s => s.Scale, (s, v) => s with { Scale = v }),
        Int("imgsz", "square training/inference size in pixels (multiple of 32)", 32, 4096, s => s.ImageSize, (s, v) => s with { ImageSize = v }, multipleOf: 32),
        Int("epochs", "training epochs", 1, 100000, s => s.Epochs, (s, v) => s with { Epochs = v }),
        Int("batch", "images per batch", 1, 4096, s => s.BatchSize, (s, v) => s with { BatchSize = v }),
        Double("lr0", "initial learning rate", 1e-8, 10, s => s.Lr0, (s, v) => s with { Lr0 = v }),
        Double("lrf", "final learning rate as a fraction of lr0", 1e-6, 1, s => s.Lrf, (s, v) => s with { Lrf = v }),
        Double("momentum", "SGD momentum / Adam beta1", 0, 0.9999, s => s.Momentum, (s, v) => s with { Momentum = v }),
        Double("weight_decay", "weight decay", 0, 1, s => s.WeightDecay, (s, v) => s with { WeightDecay = v }),
        Double("warmup_epochs", "learning-rate warmup epochs", 0, 1000, s => s.WarmupEpochs, (s, v) => s with { WarmupEpochs = v }),
        Choice("optimizer", "auto, SGD, Adam or AdamW", Optimizers, s => s.Optimizer, (s, v) => s with { Optimizer = v }),
        Bool("cos_lr", "cosine learning-rate schedule", s => s.CosineLr, (s, v) => s with { CosineLr = v }),
        Double("mosaic", "mosaic probability (0 = off)", 0, 1, s => s.Mosaic, (s, v) => s with { Mosaic = v }),
        Int("close_mosaic", "final epochs without mosaic", 0, 100000, s => s.CloseMosaic, (s, v) => s with { CloseMosaic = v }),
        Double("hsv_h", "hue augmentation", 0, 1, s => s.HsvH, (s, v) => s with { HsvH = v }),
        Double("hsv_s", "saturation augmentation", 0, 1, s => s.HsvS, (s, v) => s with { HsvS = v }),
        Double("hsv_v", "value augmentation", 0, 1, s => s.HsvV, (s, v) => s with { HsvV = v }),
        Double("translate", "random translation fraction", 0, 1, s => s.Translate, (s, v) => s with { Translate = v }),
        Double("scale_aug", "random resize gain", 0, 1, s => s.ScaleAugment, (s, v) => s with { ScaleAugment = v }),
        Double("degrees", "small random rotation in degrees", 0, 180, s => s.Degrees, (s, v) => s with { Degrees = v }),
        Double("fliplr", "left-right flip probability", 0, 1, s => s.FlipLR, (s, v) => s with { FlipLR = v }),
        new HyperParameter("rotate", "extra right-angle turns of the training split, e.g. 90,180,270 (none = empty)",
            ParseRotation, s => s.Rotate, (s, v) => s with { Rotate = (string)v! }),
        Choice("rotate_policy", "6/9 under a 180 degree turn: keep, drop or relabel", RotatePolicies, s => s.RotatePolicy, (s, v) => s with { RotatePolicy = v }),
        Int("freeze", "leading model layers kept frozen", 0, 23, s => s.Freeze, (s, v) => s with { Freeze = v }),
        new HyperParameter("init", "starting weights: checkpoint path, experiment:NAME, or none",
            text => text.Length == 0 || text is "none" or "null" or "~" ? null : text, s => s.Init, (s, v) => s with { Init = (string?)v }),
        Int("seed", "random seed", 0, int.MaxValue, s => s.Seed, (s, v) => s with { Seed = v }),
        Int("patience", "epochs without improvement before stopping", 1, 100000, s => s.Patience, (s, v) => s with { Patience = v }),
        OptionalInt("train_images", "use only the first N training images (none = all)", s => s.TrainImages, (s, v) => s with { TrainImages = v }),
        OptionalInt("val_images", "validate on the first N validation images (none = all)", s => s.ValImages, (s, v) => s with { ValImages = v }),
        Int("workers", "data-loading threads", 0, 256, s => s.Workers, (s, v) => s with { Workers = v }),
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

    private static string ParseRotation(string text)
    {
        if (text.Length == 0 || text is "none" or "0") return "";
        var angles = text.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(a => int.Parse(a, NumberStyles.Integer, CultureInfo.InvariantCulture))
            .Distinct()
            .Order()
            .ToList();
        if (angles.Any(a => a is not (90 or 180 or 270)))
            throw new ArgumentException("angles must be 90, 180 and/or 270");
        return string.Join(',', angles);
    }

    private static HyperParameter Int(string key, string description, int min, int max, Func<TrialSettings, int> get, Func<TrialSettings, int, TrialSettings> with, int multipleOf = 1) =>
        new(key, description,
            text =>
            {
                var value = int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
                if (value < min || value > max) throw new ArgumentException($"must be between {min} and {max}");
                if (value % multipleOf != 0) throw new ArgumentException($"must be a multiple of {multipleOf}");
                return value;
            },
            s => get(s), (s, v) => with(s, Convert.ToInt32(v, CultureInfo.InvariantCulture)));

    private static HyperParameter OptionalInt(string key, string description, Func<TrialSettings, int?> get, Func<TrialSettings, int?, TrialSettings> with) =>
        new(key, description,
            text =>
            {
                if (text.Length == 0 || text is "none" or "null" or "all" or "~") return null;
                var value = int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
                return value >= 1 ? value : throw new ArgumentException("must be at least 1");
            },
            s => get(s), (s, v) => with(s, v is null ? null : Convert.ToInt32(v, CultureInfo.InvariantCulture)));

    private static HyperParameter Double(string key, string description, double min, double max, Func<TrialSettings, double> get, Func<TrialSettings, double, TrialSettings> with) =>
        new(key, description,
            text =>
            {
                var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (!double.IsFinite(value) || value < min || value > max) throw new ArgumentException($"must be between {min} and {max}");
                return value;
            },
            s => get(s), (s, v) => with(s, Convert.ToDouble(v, CultureInfo.InvariantCulture)));

    private static HyperParameter Bool(string key, string description, Func<TrialSettings, bool> get, Func<TrialSettings, bool, TrialSettings> with) =>
        new(key, description,
            text => text.ToLowerInvariant() switch
            {
                "true" or "yes" or "on" or "1" => true,
                "false" or "no" or "off" or "0" => false,
                _ => throw new ArgumentException("expected true or false"),
            },
            s => get(s), (s, v) => with(s, (bool)v!));

    private static HyperParameter Choice(string key, string description, string[] choices, Func<TrialSettings, string> get, Func<TrialSettings, string, TrialSettings> with) =>
        new(key, description,
            text => choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase))
                    ?? throw new ArgumentException($"expected one of {string.Join(", ", choices)}"),
            s => get(s), (s, v) => with(s, (string)v!));
}
