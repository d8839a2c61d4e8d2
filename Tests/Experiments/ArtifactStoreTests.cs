using DigitMl.Experiments.Artifacts;

namespace DigitMl.Tests.Experiments;

public sealed class ArtifactStoreTests
{
    [Test]
    public void ParallelReservationsGetDistinctNumbersAndCommitAsVersions()
    {
        using var temp = new TempFolder();
        var store = new ArtifactStore(temp.Path);

        var reservations = Enumerable.Range(0, 12).AsParallel().WithDegreeOfParallelism(6)
            .Select(_ => store.Reserve("exp")).ToList();
        foreach (var r in reservations)
        {
            File.WriteAllText(Path.Combine(r.TemporaryDirectory, "config.json"), "{}");
            r.Commit();
        }

        Assert.That(reservations.Select(r => r.Number).Order(), Is.EqualTo(Enumerable.Range(1, 12)));
        Assert.That(store.Versions("exp").Select(Path.GetFileName), Is.EqualTo(Enumerable.Range(1, 12).Select(VersionName.Format)));
        Assert.That(Directory.GetFileSystemEntries(store.ExperimentDirectory("exp"), ".*"), Is.Empty, "markers and temporary folders are gone after commit");
    }

    [Test]
    public void AnAbandonedReservationLeavesNoVersionAndItsNumberIsNotReused()
    {
        using var temp = new TempFolder();
        var store = new ArtifactStore(temp.Path);
        var killed = store.Reserve("exp");
        File.WriteAllText(Path.Combine(killed.TemporaryDirectory, "last.ckpt"), "partial");

        var next = store.Reserve("exp");
        next.Commit();

        Assert.That(killed.Number, Is.EqualTo(1));
        Assert.That(next.Number, Is.EqualTo(2));
        Assert.That(store.Versions("exp").Select(Path.GetFileName), Is.EqualTo(new[] { "v0002" }));
        Assert.That(store.Reclaim("exp", 1, killed.TemporaryDirectory)?.TemporaryDirectory, Is.EqualTo(killed.TemporaryDirectory));
    }

    [Test]
    public void CommitRefusesToOverwriteAnExistingVersion()
    {
        using var temp = new TempFolder();
        var store = new ArtifactStore(temp.Path);
        var reservation = store.Reserve("exp");
        Directory.CreateDirectory(reservation.FinalDirectory);

        Assert.That(reservation.Commit, Throws.InstanceOf<IOException>());
    }

    [Test]
    public void TheExperimentLockIsExclusiveUntilDisposed()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, ".lock");
        using (var first = ExperimentLock.TryAcquire(path))
        {
            Assert.That(first, Is.Not.Null);
            Assert.That(ExperimentLock.TryAcquire(path), Is.Null);
        }

        using var again = ExperimentLock.TryAcquire(path);
        Assert.That(again, Is.Not.Null);
    }

    [Test]
    public void InvalidExperimentNamesAreRejected()
    {
        var store = new ArtifactStore(Path.GetTempPath());
        Assert.That(() => store.ExperimentDirectory("../escape"), Throws.ArgumentException.With.Message.Contains("not valid"));
        Assert.That(() => store.ExperimentDirectory(".hidden"), Throws.ArgumentException);
    }

    [Test]
    public void GitCommitIsReadFromTheRepositoryOrUnknown()
    {
        var commit = GitCommit.Read(TestContext.CurrentContext.TestDirectory);
        Assert.That(commit == GitCommit.Unknown || (commit.Length == 40 && commit.All(Uri.IsHexDigit)), Is.True, commit);
        Assert.That(GitCommit.Read(Path.GetPathRoot(Path.GetTempPath())!), Is.EqualTo(GitCommit.Unknown));
    }
}
