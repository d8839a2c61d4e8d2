using System.Globalization;

namespace DigitMl.Augmentation.Rotation;

/// <summary>Unique file stems within one output folder, derived from the source file names (deterministic).</summary>
internal sealed class SampleFileNames
{
    private readonly HashSet<string> used = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The source stem, with <c>_rot{degrees}</c> for turned images, and <c>_2</c>, <c>_3</c>, ... on a clash.</summary>
    public string Next(string sourcePath, int degrees)
    {
        string stem = Path.GetFileNameWithoutExtension(sourcePath);
        if (degrees != 0) stem += string.Create(CultureInfo.InvariantCulture, $"_rot{degrees}");
        string candidate = stem;
        for (int n = 2; !used.Add(candidate); n++) candidate = string.Create(CultureInfo.InvariantCulture, $"{stem}_{n}");
        return candidate;
    }
}
