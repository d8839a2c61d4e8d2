namespace DigitMl.Experiments.Artifacts;

/// <summary>
/// The commit the code was built from, read from the .git folder directly (no git executable needed);
/// handles worktrees (<c>.git</c> file with <c>gitdir:</c>), <c>commondir</c> and packed refs.
/// </summary>
public static class GitCommit
{
    public const string Unknown = "unknown";

    public static string Read(string startDirectory)
    {
        try
        {
            return TryRead(startDirectory) ?? Unknown;
        }
        catch (IOException)
        {
            return Unknown;
        }
        catch (UnauthorizedAccessException)
        {
            return Unknown;
        }
    }

    private static string? TryRead(string startDirectory)
    {
        var gitDir = FindGitDirectory(startDirectory);
        if (gitDir is null) return null;
        var commonDir = gitDir;
        var commonFile = Path.Combine(gitDir, "commondir");
        if (File.Exists(commonFile))
            commonDir = Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(commonFile).Trim()));

        var head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
        if (!head.StartsWith("ref:", StringComparison.Ordinal)) return IsSha(head) ? head : null;
        var reference = head[4..].Trim();
        foreach (var dir in new[] { gitDir, commonDir })
        {
            var loose = Path.Combine(dir, reference);
            if (File.Exists(loose))
            {
                var sha = File.ReadAllText(loose).Trim();
                return IsSha(sha) ? sha : null;
            }
        }

        var packed = Path.Combine(commonDir, "packed-refs");
        if (!File.Exists(packed)) return null;
        foreach (var line in File.ReadLines(packed))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && parts[1].Trim() == reference && IsSha(parts[0])) return parts[0];
        }

        return null;
    }

    private static string? FindGitDirectory(string startDirectory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(candidate)) return candidate;
            if (File.Exists(candidate))
            {
                var text = File.ReadAllText(candidate).Trim();
                return text.StartsWith("gitdir:", StringComparison.Ordinal)
                    ? Path.GetFullPath(Path.Combine(dir.FullName, text[7..].Trim()))
                    : null;
            }
        }

        return null;
    }

    private static bool IsSha(string text) => text.Length is 40 or 64 && text.All(Uri.IsHexDigit);
}
