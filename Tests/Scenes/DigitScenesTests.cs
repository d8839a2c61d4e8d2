using DigitMl.Experiments.Cli;
using DigitMl.Data.Scenes;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Scenes;

public sealed class DigitScenesTests
{
    private static readonly SceneOptions Few = TinyScenes.Options(4, 2, 2, imgsz: 48, seed: 3);

    [Test]
    public void EnsureGeneratesOnlyWhenMissingStaleOrIncomplete()
    {
        string dir = Path.Combine(TinyScenes.NewTempDirectory("ensure"), "scenes");
        string mnist = RepositoryLayout.MnistDir;

        var first = DigitScenes.Ensure(mnist, dir, Few);
        var second = DigitScenes.Ensure(mnist, dir, Few);
        Assert.Multiple(() =>
        {
            Assert.That(first.Generated, Is.True, "missing");
            Assert.That(second.Generated, Is.False, "up to date");
            Assert.That(second.DataYamlPath, Is.EqualTo(Path.Combine(dir, "data.yaml")));
        });

        Assert.That(DigitScenes.Ensure(mnist, dir, Few with { Seed = 4 }).Generated, Is.True, "other options");
        Assert.That(DigitScenes.Ensure(mnist, dir, Few with { Seed = 4 }).Generated, Is.False);

        File.WriteAllText(Path.Combine(dir, SceneDatasetMarker.FileName), File.ReadAllText(Path.Combine(dir, SceneDatasetMarker.FileName)).Replace(SceneGenerator.Version, "digit-scenes/0", StringComparison.Ordinal));
        Assert.That(DigitScenes.Ensure(mnist, dir, Few with { Seed = 4 }).Generated, Is.True, "older generator version");

        File.Delete(Path.Combine(dir, "data.yaml"));
        Assert.That(DigitScenes.Ensure(mnist, dir, Few with { Seed = 4 }).Generated, Is.True, "incomplete");
        Assert.That(Directory.GetFiles(Path.Combine(dir, "images", "train")), Has.Length.EqualTo(4));
    }

    [Test]
    public void CancelledRunLeavesNothingBehind()
    {
        string parent = TinyScenes.NewTempDirectory("cancel");
        using var cancelled = new CancellationTokenSource();
        var progress = new CancelAfter(5, cancelled);

        Assert.That(() => SceneGenerator.Generate(TinyScenes.Mnist, Path.Combine(parent, "scenes"), Few with { Train = 200 }, progress, cancelled.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Directory.GetFileSystemEntries(parent), Is.Empty, "no half-written dataset, no staging folder");
    }

    [Test]
    public void FoldersLeftByKilledRunsAreRemovedNextTime()
    {
        string parent = TinyScenes.NewTempDirectory("leftover");
        // a run killed with SIGKILL leaves its staging folder; a process id that cannot exist stands for it
        string dead = Path.Combine(parent, $".scenes.partial-{int.MaxValue}-0123");
        string alive = Path.Combine(parent, $".scenes.partial-{Environment.ProcessId}-4567");
        string other = Path.Combine(parent, $".other.partial-{int.MaxValue}-89ab");
        foreach (var dir in new[] { dead, alive, other }) Directory.CreateDirectory(Path.Combine(dir, "images"));

        SceneGenerator.Generate(TinyScenes.Mnist, Path.Combine(parent, "scenes"), Few);
        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(dead), Is.False, "the killed run's folder is gone");
            Assert.That(Directory.Exists(alive), Is.True, "a running generator's folder is kept");
            Assert.That(Directory.Exists(other), Is.True, "another dataset's folders are not touched");
        });
    }

    [Test]
    public void RefusesToReplaceAFolderItDidNotWrite()
    {
        string dir = TinyScenes.NewTempDirectory("foreign");
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");

        var error = Assert.Throws<IOException>(() => SceneGenerator.Generate(TinyScenes.Mnist, dir, Few));
        Assert.That(error!.Message, Does.Contain(dir).And.Contain(SceneDatasetMarker.FileName));
        Assert.That(File.ReadAllText(Path.Combine(dir, "notes.txt")), Is.EqualTo("mine"));
    }

    [Test]
    public void ProgressCountsUpToTheTotal()
    {
        var reports = new List<SceneGenerationProgress>();
        SceneGenerator.Generate(TinyScenes.Mnist, Path.Combine(TinyScenes.NewTempDirectory("progress"), "scenes"), Few, new Recorder(reports));
        Assert.That(reports[0], Is.EqualTo(new SceneGenerationProgress(0, 8)));
        Assert.That(reports[^1], Is.EqualTo(new SceneGenerationProgress(8, 8)));
        Assert.That(reports.Select(r => r.Done), Is.Ordered);
    }

    [Test]
    public void RepositoryLayoutFindsTheSolutionFolder()
    {
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(RepositoryLayout.Root, RepositoryLayout.SolutionFileName)), Is.True);
            Assert.That(RepositoryLayout.DefaultDataYaml, Is.EqualTo(Path.Combine(RepositoryLayout.Root, "datasets", "digit-scenes", "data.yaml")));
            Assert.That(RepositoryLayout.ArtifactsDir, Is.EqualTo(Path.Combine(RepositoryLayout.Root, "artifacts")));
            Assert.That(RepositoryLayout.FindRoot(Path.Combine(RepositoryLayout.Root, "Pipelines", "Data")), Is.EqualTo(RepositoryLayout.Root));
            Assert.That(RepositoryLayout.FindRoot(Path.GetTempPath()), Is.Null);
            Assert.That(RepositoryLayout.Resolve("datasets/x"), Is.EqualTo(Path.Combine(RepositoryLayout.Root, "datasets", "x")));
        });
    }

    private sealed class Recorder(List<SceneGenerationProgress> reports) : IProgress<SceneGenerationProgress>
    {
        public void Report(SceneGenerationProgress value) => reports.Add(value);
    }

    private sealed class CancelAfter(int done, CancellationTokenSource source) : IProgress<SceneGenerationProgress>
    {
        public void Report(SceneGenerationProgress value)
        {
            if (value.Done >= done) source.Cancel();
        }
    }
}
