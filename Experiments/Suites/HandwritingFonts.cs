namespace DigitMl.Experiments.Suites;

/// <summary>One handwriting-style font file and the Debian package that installs it.</summary>
public sealed record HandwritingFont(string Package, string Path);

/// <summary>
/// The handwriting fonts of the unseen-writers set: Debian packages, found at the paths the packages install to
/// (no font configuration is involved, so the set is the same on every machine that has the packages). They are
/// never used for training: the generator refuses an evaluation-only digit source for train and val splits.
/// On a fresh machine `.ci/run` installs the packages; elsewhere <see cref="Require"/> names what is missing.
/// </summary>
public static class HandwritingFonts
{
    public static IReadOnlyList<HandwritingFont> Catalog { get; } =
    [
        new("fonts-dkg-handwriting", "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf"),
        new("fonts-dkg-handwriting", "/usr/share/fonts/truetype/fifthhorseman/dkgBd.ttf"),
        new("fonts-breip", "/usr/share/fonts/truetype/breip/Breip.ttf"),
        new("fonts-femkeklaver", "/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf"),
        new("fonts-humor-sans", "/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf"),
        new("fonts-kristi", "/usr/share/fonts/truetype/kristi/Kristi.ttf"),
        new("fonts-dancingscript", "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf"),
        new("fonts-kaushanscript", "/usr/share/fonts/opentype/kaushanscript/KaushanScript-Regular.otf"),
        new("fonts-comic-neue", "/usr/share/fonts/opentype/comic-neue/ComicNeue-Regular.otf"),
        new("fonts-comic-neue", "/usr/share/fonts/opentype/comic-neue/ComicNeue-Italic.otf"),
        new("fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeBuild-Regular.otf"),
        new("fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeConnect-Regular.otf"),
        new("fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeCreate-Regular.otf"),
        new("fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf"),
        new("fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeMentor-Regular.otf"),
        new("fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeOrganize-Regular.otf"),
    ];

    /// <summary>The Debian packages of the catalog, each once.</summary>
    public static IReadOnlyList<string> Packages { get; } = [.. Catalog.Select(f => f.Package).Distinct()];

    /// <summary>The catalog's fonts, or an error naming the missing files and the command that installs them.</summary>
    public static IReadOnlyList<HandwritingFont> Require() => Require(Catalog);

    /// <summary>The given fonts, or an error naming the missing files and their packages.</summary>
    public static IReadOnlyList<HandwritingFont> Require(IReadOnlyList<HandwritingFont> fonts)
    {
        ArgumentNullException.ThrowIfNull(fonts);
        var missing = fonts.Where(f => !File.Exists(f.Path)).ToList();
        if (missing.Count == 0) return fonts;
        var packages = missing.Select(f => f.Package).Distinct().ToList();
        throw new FileNotFoundException(
            $"the unseen-writers set needs the Debian packages {string.Join(", ", packages)} (missing {missing[0].Path}{(missing.Count > 1 ? $" and {missing.Count - 1} more" : "")}); " +
            $"install them with `apt-get install -y {string.Join(' ', packages)}`, or leave the set out with --conditions",
            missing[0].Path);
    }
}
