namespace DigitMl.Experiments.Cli;

/// <summary>
/// Where the repository's fixed folders are. The root is the first folder holding DigitMl.sln found
/// walking up from the current directory, then from the executable's folder (so `dotnet run` from
/// anywhere inside the clone and the built binary both find it); without one, the current directory.
/// Repository-relative defaults (datasets/, artifacts/) resolve against it.
/// </summary>
public static class RepositoryLayout
{
    public const string SolutionFileName = "DigitMl.sln";

    private static readonly Lazy<string> LazyRoot = new(() =>
        FindRoot(Directory.GetCurrentDirectory()) ?? FindRoot(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory());

    public static string Root => LazyRoot.Value;

    /// <summary>datasets/mnist: the shipped IDX files.</summary>
    public static string MnistDir => Path.Combine(Root, "datasets", "mnist");

    /// <summary>datasets/digit-scenes: the generated default scene dataset (git-ignored).</summary>
    public static string DefaultScenesDir => Path.Combine(Root, "datasets", "digit-scenes");

    public static string DefaultDataYaml => Path.Combine(DefaultScenesDir, "data.yaml");

    public static string ArtifactsDir => Path.Combine(Root, "artifacts");

    /// <summary>The nearest folder at or above <paramref name="startDirectory"/> containing DigitMl.sln, or null.</summary>
    public static string? FindRoot(string startDirectory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName))) return dir.FullName;
        }
        return null;
    }

    /// <summary>An absolute path as given; a relative one against the repository root (for defaults such as datasets/...).</summary>
    public static string Resolve(string path) => Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(Root, path));
}
