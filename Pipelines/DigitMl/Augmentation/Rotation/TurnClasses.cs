using System.Globalization;

namespace DigitMl.Augmentation.Rotation;

/// <summary>
/// Names of turn-aware classes (<see cref="RotationPolicy.Turns"/>, docs/orientation.md) where a data view carries
/// labels as text: class t * nc + c is called "name@90", "name@180" or "name@270" for t = 1, 2, 3 and keeps its
/// plain name for t = 0. A trainer that sees such names trains with 4 orientations on the plain names.
/// </summary>
public static class TurnClasses
{
    public const int Orientations = 4;

    /// <summary>The 4 * nc names, turn-major.</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var result = new List<string>(names.Count * Orientations);
        for (int turn = 0; turn < Orientations; turn++)
            result.AddRange(names.Select(n => NameOf(n, turn)));
        return result;
    }

    /// <summary>"7" for turn 0, "7@90" for turn 1 and so on.</summary>
    public static string NameOf(string name, int turn) =>
        turn == 0 ? name : string.Create(CultureInfo.InvariantCulture, $"{name}@{turn * 90}");

    /// <summary>
    /// True when <paramref name="names"/> is exactly <see cref="Names"/> of its first quarter; then
    /// <paramref name="plain"/> holds those plain names.
    /// </summary>
    public static bool TryGetPlainNames(IReadOnlyList<string> names, out IReadOnlyList<string> plain)
    {
        ArgumentNullException.ThrowIfNull(names);
        plain = names;
        if (names.Count == 0 || names.Count % Orientations != 0) return false;
        var candidate = names.Take(names.Count / Orientations).ToList();
        if (!Names(candidate).SequenceEqual(names, StringComparer.Ordinal)) return false;
        plain = candidate;
        return true;
    }
}
