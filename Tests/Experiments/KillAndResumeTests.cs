using System.Text.Json.Nodes;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Definitions;
using DigitMl.Experiments.Sweeps;

namespace DigitMl.Tests.Experiments;

/// <summary>
/// `sweep --resume` after a kill -9 at every kind of moment (issue 11). A kill leaves exactly what was on disk at that
/// instant, so the matrix copies the artifacts folder at the kill point (what the killed process left; its lock
/// files are released by the kill and not copied), lets the first run end, puts the copy back in place of its
/// folder and resumes once with a fresh runner, as a new process would. <see cref="SweepKillTests"/> does the same with a real child process and SIGKILL.
/// </summary>
public sealed class KillAndResumeTests
{
    private const int Epochs = 3;

    private static ExperimentDefinition ThreeTrials() =>
        ExperimentDefinition.Create("kill").WithData("data.yaml").Fix("epochs", Epochs).Search("lr0", 0.01, 0.02, 0.03);

    public static IEnumerable<TestCaseData> Moments()
    {
        yield return new TestCaseData(KillPoint.Batch, "t02", 2).SetName("KilledDuringAnEpoch");
        yield return new TestCaseData(KillPoint.Validating, "t02", 2).SetName("KilledDuringValidation");
        yield return new TestCaseData(KillPoint.Checkpointed, "t02", 2).SetName("KilledAfterTheCheckpointBeforeTheStateSave");
        yield return new TestCaseData(KillPoint.Exporting, "t02", Epochs).SetName("KilledDuringExport");
        yield return new TestCaseData(KillPoint.Validating, "t03", 1).SetName("KilledInTheFirstEpochOfTheLastTrial");
        yield return new TestCaseData(KillPoint.Testing, "v0003", 0).SetName("KilledWhileTheWinnerIsScoredOnTest");
    }

    [TestCaseSource(nameof(Moments))]
    public void OneResumeFinishesTheSweepWithoutRetrainingAnythingFinished(KillPoint point, string trial, int epoch)
    {
        using var temp = new TempFolder();
        string live = Path.Combine(temp.Path, "live");
        string killed = Path.Combine(temp.Path, "killed");
        HashSet<(string, int)>? checkpointedAtKill = null;
        ScriptedTrialExecutor first = null!;
        first = new ScriptedTrialExecutor
        {
            At = (at, name, e) =>
            {
                if (at != point || name != trial || e != epoch || checkpointedAtKill is not null) return;
                CopyAsKilled(live, killed);
                checkpointedAtKill = CheckpointedEpochs(first, at);
            },
        };
        new SweepRunner(new ArtifactStore(live), first).Run(ThreeTrials(), new SweepRunOptions());
        Assert.That(checkpointedAtKill, Is.Not.Null, "the kill point was reached");

        var store = RestoreAsKilled(live, killed);
        var second = new ScriptedTrialExecutor();
        var summary = new SweepRunner(store, second).Run(ThreeTrials(), new SweepRunOptions { Resume = true });

        Assert.That(summary.Trials.Select(t => t.Status), Is.EqualTo(new[] { "ok", "ok", "ok" }), string.Join("; ", summary.Trials.Select(t => t.Reason)));
        Assert.That(summary.State.Finished, Is.True);
        var everyEpoch = new[] { "t01", "t02", "t03" }.SelectMany(t => Enumerable.Range(1, Epochs).Select(e => (t, e))).ToHashSet();
        Assert.That(second.TrainedEpochs.ToHashSet().Overlaps(checkpointedAtKill!), Is.False,
            $"nothing checkpointed before the kill is trained again: {string.Join(", ", second.TrainedEpochs)}");
        Assert.That(second.TrainedEpochs.ToHashSet().Union(checkpointedAtKill!).ToHashSet().SetEquals(everyEpoch), Is.True,
            $"every epoch is trained once: before the kill {string.Join(", ", checkpointedAtKill!)}; after {string.Join(", ", second.TrainedEpochs)}");
        AssertCompleteVersionsOnly(store, "kill", 3);
        Assert.That(summary.Best?.Version, Is.EqualTo("v0003"));
        Assert.That(summary.Best?.Test?.Map50, Is.EqualTo(0.42), "the winner is scored on the test split");
        var state = JsonNode.Parse(File.ReadAllText(summary.State.FilePath(store)))!;
        Assert.That(state["trials"]!.AsArray().Select(t => t!["fitness_by_epoch"]!.AsArray().Count), Is.All.EqualTo(Epochs));
    }

    [Test]
    public void AnEpochWhoseFitnessNoStateRecordedIsStoredAsNullAndTheTrialLineUsesTheLastKnownOne()
    {
        using var temp = new TempFolder();
        string live = Path.Combine(temp.Path, "live");
        string killed = Path.Combine(temp.Path, "killed");
        bool copied = false;
        var first = new ScriptedTrialExecutor
        {
            At = (at, name, e) =>
            {
                if (copied || at != KillPoint.Checkpointed || name != "t02" || e != 2) return;
                CopyAsKilled(live, killed);
                copied = true;
            },
        };
        new SweepRunner(new ArtifactStore(live), first).Run(ThreeTrials(), new SweepRunOptions());

        var store = RestoreAsKilled(live, killed);
        var summary = new SweepRunner(store, new ScriptedTrialExecutor()).Run(ThreeTrials(), new SweepRunOptions { Resume = true });

        var t02 = JsonNode.Parse(File.ReadAllText(summary.State.FilePath(store)))!["trials"]![1]!;
        var fitness = t02["fitness_by_epoch"]!.AsArray();
        Assert.That(fitness[0]!.GetValue<double>(), Is.EqualTo(0.2 / 3).Within(1e-9), "epoch 1 was saved before the kill");
        Assert.That(fitness[1], Is.Null, "epoch 2 was checkpointed, but the kill came before the state recorded its fitness");
        Assert.That(fitness[2]!.GetValue<double>(), Is.EqualTo(0.2).Within(1e-9));
        var outcome = JsonNode.Parse(File.ReadAllText(Path.Combine(store.ExperimentDirectory("kill"), "v0002", TrialOutcome.FileName)))!;
        Assert.That(outcome["images_per_second"]!.GetValue<double>(), Is.EqualTo(100));
    }

    [Test]
    public void ATrialResumedAfterItsLastEpochRecordsItsUnmeasuredRateAsNull()
    {
        using var temp = new TempFolder();
        string live = Path.Combine(temp.Path, "live");
        string killed = Path.Combine(temp.Path, "killed");
        bool copied = false;
        var first = new ScriptedTrialExecutor
        {
            At = (at, name, _) =>
            {
                if (copied || at != KillPoint.Exporting || name != "t01") return;
                CopyAsKilled(live, killed);
                copied = true;
            },
        };
        new SweepRunner(new ArtifactStore(live), first).Run(ThreeTrials(), new SweepRunOptions());

        var store = RestoreAsKilled(live, killed);
        var second = new ScriptedTrialExecutor();
        new SweepRunner(store, second).Run(ThreeTrials(), new SweepRunOptions { Resume = true });

        Assert.That(second.TrainedEpochs.Where(e => e.Trial == "t01"), Is.Empty);
        var outcome = JsonNode.Parse(File.ReadAllText(Path.Combine(store.ExperimentDirectory("kill"), "v0001", TrialOutcome.FileName)))!.AsObject();
        Assert.That(outcome.ContainsKey("images_per_second"), Is.True);
        Assert.That(outcome["images_per_second"], Is.Null, "no epoch was timed in the resumed process");
    }

    [Test]
    public void AnyOtherNonFiniteNumberIsRefusedWithTheFileAndKeyAndNothingIsWritten()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Path, "x.json");

        Assert.That(() => JsonFiles.Write(path, new JsonObject { ["ok"] = 1.0, ["inner"] = new JsonObject { ["rate"] = double.PositiveInfinity } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains(path).And.Message.Contains("$.inner.rate").And.Message.Contains("Infinity"));
        Assert.That(File.Exists(path), Is.False);

        var state = new SweepState { Id = "s", Experiment = "e", ElapsedSeconds = double.NaN };
        Assert.That(() => JsonFiles.Write(path, state, JsonFiles.SerializerOptions()),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains(path).And.Message.Contains("NaN"));
        Assert.That(File.Exists(path), Is.False);
    }

    /// <summary>The artifacts folder as a kill -9 leaves it: every file as it is now; lock files are released by the kill.</summary>
    internal static void CopyAsKilled(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    /// <summary>Replaces the folder of the run that went on after the kill point by what the kill left there.</summary>
    internal static ArtifactStore RestoreAsKilled(string live, string killed)
    {
        Directory.Delete(live, recursive: true);
        Directory.Move(killed, live);
        return new ArtifactStore(live);
    }

    /// <summary>Every vNNNN folder holds a whole version, and no temporary folder or reservation marker is left.</summary>
    internal static void AssertCompleteVersionsOnly(ArtifactStore store, string experiment, int versions)
    {
        var directory = store.ExperimentDirectory(experiment);
        Assert.That(store.Versions(experiment).Select(Path.GetFileName), Is.EqualTo(Enumerable.Range(1, versions).Select(VersionName.Format)));
        foreach (var version in store.Versions(experiment))
            foreach (var file in new[] { "model.onnx", "model.zip", "best.ckpt", "last.ckpt", "config.json", "metrics.json", "trial.json" })
                Assert.That(File.Exists(Path.Combine(version, file)), Is.True, $"{Path.GetFileName(version)}/{file}");
        Assert.That(Directory.GetDirectories(directory, ".tmp-*"), Is.Empty, "no temporary version folder is left");
        Assert.That(Directory.GetFiles(directory, "*.reserve"), Is.Empty, "no reservation is left");
        Assert.That(File.ReadAllLines(store.LeaderboardPath(experiment)), Has.Length.EqualTo(versions + 1));
    }

    // the epochs whose checkpoint exists at the kill: at Validating and Batch the epoch in flight has none yet
    private static HashSet<(string, int)> CheckpointedEpochs(ScriptedTrialExecutor executor, KillPoint at)
    {
        var trained = executor.TrainedEpochs.ToList();
        if (at == KillPoint.Validating) trained.RemoveAt(trained.Count - 1);
        return trained.ToHashSet();
    }
}
