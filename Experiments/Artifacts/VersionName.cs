using System.Globalization;
using System.Text.RegularExpressions;

namespace DigitMl.Experiments.Artifacts;

/// <summary>Version folder names: v0001, v0002, ... (more digits once past 9999).</summary>
public static partial class VersionName
{
    public static string Format(int number) => "v" + number.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The number of a committed version folder name, or null for any other name.</summary>
    public static int? Parse(string folderName)
    {
        var match = CommittedPattern().Match(folderName);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>
    /// The number a folder entry holds on to: committed versions, reservation markers and temporary build
    /// folders all count, so a number is never handed out twice.
    /// </summary>
    public static int? ParseAnyUse(string entryName)
    {
        var match = AnyUsePattern().Match(entryName);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^v(\d{4,9})$")]
    private static partial Regex CommittedPattern();

    [GeneratedRegex(@"^(?:v|\.v|\.tmp-v)(\d{4,9})(?:$|\.reserve$|-)")]
    private static partial Regex AnyUsePattern();
}
