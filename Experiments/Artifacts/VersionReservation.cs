namespace DigitMl.Experiments.Artifacts;

/// <summary>
/// A version number held by one trial: the marker file <c>.vNNNN.reserve</c> claims the number, the
/// trial writes everything into <see cref="TemporaryDirectory"/>, and <see cref="Commit"/> renames that
/// folder to <c>vNNNN</c> in one step. Until then no <c>vNNNN</c> folder exists, so a killed process
/// leaves a temporary folder (resumable) but never a half-written version.
/// </summary>
public sealed class VersionReservation
{
    internal VersionReservation(string experimentDirectory, int number, string temporaryDirectory)
    {
        ExperimentDirectory = experimentDirectory;
        Number = number;
        TemporaryDirectory = temporaryDirectory;
    }

    public string ExperimentDirectory { get; }

    public int Number { get; }

    public string Name => VersionName.Format(Number);

    /// <summary>Where the trial writes its files until it is committed.</summary>
    public string TemporaryDirectory { get; }

    /// <summary>Where the version lives once committed.</summary>
    public string FinalDirectory => Path.Combine(ExperimentDirectory, Name);

    public string MarkerPath => ArtifactStore.MarkerPath(ExperimentDirectory, Number);

    public bool IsCommitted => Directory.Exists(FinalDirectory) && !Directory.Exists(TemporaryDirectory);

    /// <summary>Publishes the version: rename the temporary folder, then drop the marker (in that order; see ArtifactStore.Reserve).</summary>
    public string Commit()
    {
        if (Directory.Exists(FinalDirectory))
            throw new IOException($"version folder {FinalDirectory} already exists; refusing to overwrite it");
        Directory.Move(TemporaryDirectory, FinalDirectory);
        File.Delete(MarkerPath);
        return FinalDirectory;
    }
}
