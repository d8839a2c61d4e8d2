using DigitMl.Data;
using DigitMl.Modeling;
using DigitMl.Tests.TestData;
using DigitMl.Training;
using DigitMl.Training.Native;
using DigitMl.Training.Threading;
using TorchSharp;

namespace DigitMl.Tests.Training;

/// <summary>Thread pools sized from the cores the process may use, and shared between training jobs of one machine.</summary>
public sealed class CoreShareTests
{
    [Test]
    public void TheAffinityListAndTheCgroupQuotaBoundTheCores()
    {
        Assert.That(CpuBudget.AffinityCount("Name:\tdotnet\nCpus_allowed:\tff\nCpus_allowed_list:\t0-3,8,10-11\n"), Is.EqualTo(7));
        Assert.That(CpuBudget.AffinityCount("Cpus_allowed_list:\t5\n"), Is.EqualTo(1));
        Assert.That(CpuBudget.AffinityCount("Name:\tdotnet\n"), Is.Null);
        Assert.That(CpuBudget.QuotaFromCpuMax("150000 100000\n"), Is.EqualTo(1.5));
        Assert.That(CpuBudget.QuotaFromCpuMax("max 100000\n"), Is.Null);
        Assert.That(CpuBudget.QuotaFromCfs("-1\n", "100000\n"), Is.Null);
        Assert.That(CpuBudget.QuotaFromCfs("200000\n", "100000\n"), Is.EqualTo(2.0));
        Assert.That(CpuBudget.Combine(16, 1.5), Is.EqualTo(1), "a quota of 1.5 cores gets 1 thread, not 2 that are throttled");
        Assert.That(CpuBudget.Combine(16, 4.0), Is.EqualTo(4));
        Assert.That(CpuBudget.Combine(2, 8.0), Is.EqualTo(2));
        Assert.That(CpuBudget.Combine(4, null), Is.EqualTo(4));
        Assert.That(CpuBudget.Combine(4, 0.5), Is.EqualTo(1));
        Assert.That(CpuBudget.AvailableCores, Is.InRange(1, Environment.ProcessorCount));
    }

    [Test]
    public void OtherProcessesBusyTimeIsMeasuredOnThisProcesssCpusOnly()
    {
        const string Stat = "cpu  300 0 100 600 0 0 0 0 0 0\ncpu0 100 0 50 350 0 0 0 0 0 0\ncpu1 150 0 40 300 10 0 0 0 0 0\ncpu2 50 0 10 0 0 0 0 0 0 0\nintr 12345\n";
        Assert.That(CpuLoad.ParseStat(Stat, [0, 1]), Is.EqualTo(((long)(150 + 190), (long)(500 + 500))), "user+nice+system+irq+softirq+steal; idle+iowait");
        Assert.That(CpuLoad.ParseStat(Stat, [0, 7]), Is.Null, "a CPU the file does not list");
        Assert.That(CpuLoad.ParseOwnTicks("4949 (dotnet (x) y) R 4946 4946 29750 0 -1 4194304 126 0 0 0 70 30 0 0 20 0 1 0"), Is.EqualTo(100), "utime + stime");
        Assert.That(CpuBudget.AffinityCpus("Cpus_allowed_list:\t0-1,4\n"), Is.EqualTo(new[] { 0, 1, 4 }));

        Assert.That(CpuLoad.FreeCores(2, 0.2), Is.EqualTo(2));
        Assert.That(CpuLoad.FreeCores(2, 0.6), Is.EqualTo(1), "a neighbour busy most of a core: one thread, not a team that waits for it");
        Assert.That(CpuLoad.FreeCores(2, 1.9), Is.EqualTo(1), "never 0");
        Assert.That(CpuLoad.FreeCores(8, 2.5), Is.EqualTo(6));

        var load = CpuLoad.Start();
        Assert.That(load, OperatingSystem.IsLinux() ? Is.Not.Null : Is.Null);
    }

    [Test]
    public void TwoJobsSplitTheCoresAndTheSurvivorTakesThemBack()
    {
        string folder = TinyScenes.NewTempDirectory("cores");
        using var first = CoreShare.Join(folder, cores: 3);
        Assert.That((first.Jobs, first.Threads), Is.EqualTo((1, 3)));

        var second = CoreShare.Join(folder, cores: 3);
        Assert.That(first.Refresh(), Is.True, "the first job notices the second");
        Assert.That((first.Jobs, second.Jobs), Is.EqualTo((2, 2)));
        Assert.That((first.Threads, second.Threads), Is.EqualTo((2, 1)), "the remainder goes to the older job");

        second.Dispose();
        Assert.That(first.Refresh(), Is.True);
        Assert.That((first.Jobs, first.Threads), Is.EqualTo((1, 3)));
    }

    [Test]
    public void TheLeaseOfAJobThatDiedIsRemovedAndNotCounted()
    {
        string folder = TinyScenes.NewTempDirectory("cores");
        // what a killed job leaves: its lease file, with nobody holding its lock
        string dead = Path.Combine(folder, "0000000000000000001-4242-dead.lease");
        File.WriteAllText(dead, "");

        using var share = CoreShare.Join(folder, cores: 2);

        Assert.That((share.Jobs, share.Threads), Is.EqualTo((1, 2)));
        Assert.That(File.Exists(dead), Is.False);
    }

    [Test]
    public void EachJobGetsAnEvenShareAndAtLeastOneThread()
    {
        Assert.That(Enumerable.Range(0, 2).Select(p => CoreShare.Share(2, 2, p)), Is.EqualTo(new[] { 1, 1 }));
        Assert.That(Enumerable.Range(0, 3).Select(p => CoreShare.Share(2, 3, p)), Is.EqualTo(new[] { 1, 1, 1 }), "never 0 threads");
        Assert.That(Enumerable.Range(0, 3).Select(p => CoreShare.Share(8, 3, p)), Is.EqualTo(new[] { 3, 3, 2 }));
    }

    [Test]
    public void ATrainingBesideAnotherJobUsesItsShareSaysSoAndRestoresTheThreadsAfterwards()
    {
        string folder = TinyScenes.NewTempDirectory("cores");
        int cores = CpuBudget.AvailableCores;
        using var otherJob = CoreShare.Join(folder, cores);
        int before = torch.get_num_threads();
        var dataset = YoloDataset.Load(TinyScenes.Create(8, 2, 1, imgsz: 64, seed: 11));
        var notes = new List<string>();
        var options = new YoloV8TrainerOptions
        {
            Scale = YoloV8Scale.Tiny,
            ImageSize = 64,
            Epochs = 1,
            BatchSize = 4,
            Validate = false,
            Workers = 1,
            CoreShareDirectory = folder,
            OutputDirectory = TinyScenes.NewTempDirectory("shared-train"),
        };

        var result = TrainingLoop.Run(options, dataset.Split("train"), [], dataset.Names, new SynchronousProgress(p => { if (p.Note is { } n) notes.Add(n); }));

        // the younger of two jobs: its share, or fewer where other processes keep cores busy (CpuLoad)
        Assert.That(result.Threads, Is.InRange(1, CoreShare.Share(cores, 2, 1)));
        Assert.That(notes, Has.Some.Contains("shared by 2 training jobs"));
        Assert.That(torch.get_num_threads(), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(folder, "*.lease"), Has.Length.EqualTo(1), "the finished training gave its lease back");
    }

    [Test]
    public void TheThreadsSettingWins()
    {
        var dataset = YoloDataset.Load(TinyScenes.Create(8, 2, 1, imgsz: 64, seed: 11));
        var options = new YoloV8TrainerOptions
        {
            Scale = YoloV8Scale.Tiny,
            ImageSize = 64,
            Epochs = 1,
            BatchSize = 8,
            Validate = false,
            Workers = 1,
            Threads = 1,
            OutputDirectory = TinyScenes.NewTempDirectory("one-thread"),
        };

        Assert.That(TrainingLoop.Run(options, dataset.Split("train"), [], dataset.Names).Threads, Is.EqualTo(1));
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => handler(value);
    }
}
