using System.Text.RegularExpressions;

namespace DigitMl.Experiments.Artifacts;

/// <summary>
/// The versioned artifact folders: <c>&lt;root&gt;/&lt;experiment&gt;/vNNNN/</c> plus each experiment's
/// leaderboard.csv and best pointer. Safe for several processes at once: version numbers are claimed with
/// an exclusive-create marker file, versions are built in a temporary folder and renamed when complete.
/// </summary>
public sealed partial class ArtifactStore
{
    public const string LeaderboardFileName = "leaderboard.csv";
    public const string BestFileName = "best";
    private const string LockFileName = ".lock";

    public ArtifactStore(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public string ExperimentDirectory(string experiment)
    {
        if (!ExperimentNamePattern().IsMatch(experiment))
            throw new ArgumentException($"experiment name '{experiment}' is not valid: use letters, digits, '-', '_' and '.' (not starting with '.')", nameof(experiment));
        return Path.Combine(Root, experiment);
    }

    public string LeaderboardPath(string experiment) => Path.Combine(ExperimentDirectory(experiment), LeaderboardFileName);

    public string BestPointerPath(string experiment) => Path.Combine(ExperimentDirectory(experiment), BestFileName);

    /// <summary>The lock that serialises leaderboard/best rewrites of one experiment.</summary>
    public ExperimentLock LockExperiment(string experiment) =>
        ExperimentLock.Acquire(Path.Combine(ExperimentDirectory(experiment), LockFileName), TimeSpan.FromMinutes(2));

    public IReadOnlyList<string> Experiments() =>
        Directory.Exists(Root)
            ? Directory.GetDirectories(Root).Select(Path.GetFileName).Where(n => n is not null && ExperimentNamePattern().IsMatch(n))
                .Cast<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Committed version folders of an experiment, oldest first.</summary>
    public IReadOnlyList<string> Versions(string experiment)
    {
        var directory = ExperimentDirectory(experiment);
        if (!Directory.Exists(directory)) return [];
        return Directory.GetDirectories(directory)
            .Select(path => (path, number: VersionName.Parse(Path.GetFileName(path))))
            .Where(x => x.number is not null)
            .OrderBy(x => x.number)
            .Select(x => x.path)
            .ToList();
    }

    /// <summary>
    /// Claims the next free version number. The marker is created with CreateNew (O_EXCL), so of two
    /// processes racing for the same number exactly one wins and the other moves on to the next.
    /// </summary>
    public VersionReservation Reserve(string experiment)
    {
        var directory = ExperimentDirectory(experiment);
        Directory.CreateDirectory(directory);
        int candidate = HighestNumberInUse(directory) + 1;
        while (true)
        {
            var marker = MarkerPath(directory, candidate);
            try
            {
                using (var stream = new FileStream(marker, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                using (var writer = new StreamWriter(stream))
                    writer.Write($"pid {Environment.ProcessId} {DateTime.UtcNow:O}");
            }
            catch (IOException) when (File.Exists(marker))
            {
                candidate++;
                continue;
            }

            // A committer renames its folder before deleting its marker, so if the marker we just created
            // had been used and released in between, the committed folder is already visible here.
            if (Directory.Exists(Path.Combine(directory, VersionName.Format(candidate))))
            {
                File.Delete(marker);
                candidate++;
                continue;
            }

            var temporary = Path.Combine(directory, $".tmp-{VersionName.Format(candidate)}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(temporary);
            return new VersionReservation(directory, candidate, temporary);
        }
    }

    /// <summary>
    /// Takes back a reservation left by an interrupted run (marker and temporary folder still there), or
    /// null when it is gone or was committed meanwhile.
    /// </summary>
    public VersionReservation? Reclaim(string experiment, int number, string temporaryDirectory)
    {
        var directory = ExperimentDirectory(experiment);
        if (!File.Exists(MarkerPath(directory, number)) || !Directory.Exists(temporaryDirectory)) return null;
        if (Directory.Exists(Path.Combine(directory, VersionName.Format(number)))) return null;
        return new VersionReservation(directory, number, Path.GetFullPath(temporaryDirectory));
    }

    /// <summary>The folder named by the experiment's best pointer, or null when there is none yet.</summary>
    public string? BestVersionDirectory(string experiment)
    {
        var pointer = BestPointerPath(experiment);
        if (!File.Exists(pointer)) return null;
        var name = File.ReadAllText(pointer).Trim();
        if (VersionName.Parse(name) is null)
            throw new InvalidDataException($"{pointer}: expected a version folder name such as v0001, found '{name}'");
        var path = Path.Combine(ExperimentDirectory(experiment), name);
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"{pointer} names {name}, which does not exist");
    }

    internal static string MarkerPath(string experimentDirectory, int number) =>
        Path.Combine(experimentDirectory, $".{VersionName.Format(number)}.reserve");

    private static int HighestNumberInUse(string directory) =>
        Directory.EnumerateFileSystemEntries(directory)
            .Select(entry => VersionName.ParseAnyUse(Path.GetFileName(entry)) ?? 0)
            .DefaultIfEmpty(0)
            .Max();

    [GeneratedRegex(@"^[A-Za-z0-9_\-][A-Za-z0-9_.\-]{0,99}$")]
    private static partial Regex ExperimentNamePattern();
}
