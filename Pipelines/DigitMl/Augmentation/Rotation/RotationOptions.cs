namespace DigitMl.Augmentation.Rotation;

/// <summary>Options of rotation augmentation (immutable; use <c>with</c> to change one).</summary>
public sealed record RotationOptions
{
    /// <summary>Clockwise angles added next to every original: multiples of 90 other than 0 (default 90, 180, 270).</summary>
    public IReadOnlyList<int> Angles { get; init; } = [90, 180, 270];

    /// <summary>What to do with orientation-ambiguous classes (default <see cref="RotationPolicy.Drop"/>).</summary>
    public RotationPolicy Policy { get; init; } = RotationPolicy.Drop;

    /// <summary>Class names whose images skip the conflicting angles under <see cref="RotationPolicy.Drop"/> (default "6", "9").
    /// Names the dataset does not have are ignored and listed in the report.</summary>
    public IReadOnlyList<string> AmbiguousClasses { get; init; } = ["6", "9"];

    /// <summary>Class renaming at the conflicting angles under <see cref="RotationPolicy.Relabel"/>, by name (e.g. 6 to 9 and 9 to 6).</summary>
    public IReadOnlyDictionary<string, string> RelabelMap { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The angles at which the policy acts (drop or relabel). Null (default): the angles that conflict with
    /// an angle kept as it is, see <see cref="RotationAugmenter.ConflictingAngles"/> (180 and 270 for the
    /// default angles).
    /// </summary>
    public IReadOnlyList<int>? PolicyAngles { get; init; }

    /// <summary>Lazy (default) or PNG files in <see cref="CacheDirectory"/>.</summary>
    public RotatedImageStorage Storage { get; init; } = RotatedImageStorage.Lazy;

    /// <summary>Folder for <see cref="RotatedImageStorage.DiskCache"/>; required in that mode.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// Options from command-line text, the same for every command that rotates (<c>augment</c>, and
    /// <c>train</c>/<c>sweep --rotate</c>): angles "90,180,270", policy "drop|keep|relabel|turns", ambiguous class
    /// names "6,9", relabel map "6:9,9:6" (only with relabel, required there), policy angles (null = computed).
    /// </summary>
    public static RotationOptions Parse(string angles, string policy = "drop", string? ambiguous = null, string? relabel = null, string? policyAngles = null)
    {
        ArgumentNullException.ThrowIfNull(angles);
        ArgumentNullException.ThrowIfNull(policy);
        var parsedPolicy = policy.Trim().ToLowerInvariant() switch
        {
            "drop" => RotationPolicy.Drop,
            "keep" => RotationPolicy.Keep,
            "relabel" => RotationPolicy.Relabel,
            "turns" => RotationPolicy.Turns,
            _ => throw new FormatException($"rotation policy must be drop, keep, relabel or turns, not '{policy}'"),
        };
        if (parsedPolicy == RotationPolicy.Relabel && string.IsNullOrWhiteSpace(relabel))
            throw new FormatException("the relabel policy needs a map FROM:TO,... (e.g. 6:9,9:6)");
        if (parsedPolicy != RotationPolicy.Relabel && !string.IsNullOrWhiteSpace(relabel))
            throw new FormatException("a relabel map only applies with the relabel policy");
        var parsedAngles = ParseAngles(angles);
        RotationAugmenter.RequestedAngles(parsedAngles);
        var options = new RotationOptions
        {
            Angles = parsedAngles,
            Policy = parsedPolicy,
            RelabelMap = relabel is null ? new Dictionary<string, string>() : ParseRelabelMap(relabel),
            PolicyAngles = policyAngles is null ? null : ParseAngles(policyAngles),
        };
        return ambiguous is null
            ? options
            : options with { AmbiguousClasses = ambiguous.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
    }

    /// <summary>Parses "90,180,270" (commas or spaces); 0 and 360 are allowed and mean "no extra copy".</summary>
    public static IReadOnlyList<int> ParseAngles(string text)
    {
        var angles = new List<int>();
        foreach (var part in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int angle) || angle % 90 != 0)
                throw new FormatException($"rotation angle '{part}' in '{text}' is not a multiple of 90 degrees");
            angles.Add(angle);
        }
        return angles;
    }

    /// <summary>Parses a relabel map "6:9,9:6".</summary>
    public static IReadOnlyDictionary<string, string> ParseRelabelMap(string text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(':', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new FormatException($"relabel entry '{pair}' in '{text}' is not FROM:TO");
            if (!map.TryAdd(parts[0], parts[1]))
                throw new FormatException($"relabel map '{text}' names class '{parts[0]}' twice");
        }
        return map;
    }
}
