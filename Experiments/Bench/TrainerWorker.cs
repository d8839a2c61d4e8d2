using System.Diagnostics;
using System.Text.Json;
using DigitMl.Data;
using DigitMl.Experiments.Sweeps;
using DigitMl.Training;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// One trainer process of the two-trainer figure (<see cref="ConcurrentTrainers"/>): trains on the bench scenes, with
/// the core share of its parent's run, from the moment all processes of its round are ready (so they train at the same
/// time) until <see cref="BenchSettings.WorkerSeconds"/> after its first batch, and writes when each batch finished (Stopwatch timestamps, the same
/// clock in every process of the machine) and the images done by then.
/// </summary>
public static class TrainerWorker
{
    /// <param name="Threads">libtorch threads when each batch finished.</param>
    public sealed record Report(string Precision, long Frequency, long[] Timestamps, long[] Images, int[] Threads);

    /// <param name="barrier">folder where the <paramref name="peers"/> processes of a round meet: each trains its first
    /// batch only when all of them are ready (model built, core lease taken), so their training overlaps.</param>
    public static void Run(BenchSettings settings, string dataYaml, string outFile, string? shareDirectory, string? barrier, int peers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var dataset = YoloDataset.Load(dataYaml);
        var samples = dataset.Split("train").Take(settings.WorkerImages).ToList();
        string output = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outFile))!, Path.GetFileNameWithoutExtension(outFile) + "-run");
        var options = TrainerThroughput.Options(settings, settings.Precision, output) with { CoreShareDirectory = shareDirectory, Epochs = 10_000 };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        long done = 0;
        var timestamps = new List<long>();
        var images = new List<long>();
        var threads = new List<int>();
        var progress = new InlineProgress<TrainingProgress>(p =>
        {
            if (p.Phase == TrainingPhase.Note && timestamps.Count == 0 && barrier is not null) MeetPeers(barrier, peers, ct);
            // the clock starts after the first batch (libtorch's first calls of a shape are slow)
            if (p.Phase == TrainingPhase.Training && timestamps.Count == 0) stop.CancelAfter(TimeSpan.FromSeconds(settings.WorkerSeconds));
            if (p.Phase == TrainingPhase.EpochCompleted) done += samples.Count;
            if (p.Phase != TrainingPhase.Training) return;
            timestamps.Add(Stopwatch.GetTimestamp());
            images.Add(done + Math.Min((long)p.Batch * settings.BatchSize, samples.Count));
            threads.Add(TorchSharp.torch.get_num_threads()); // progress is reported on the training thread
        });
        try
        {
            TrainingLoop.Run(options, samples, [], dataset.Names, progress, stop.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // the time is up: that is how a worker ends
        }
        var report = new Report(TrainingPrecision.Resolve(settings.Precision).Name, Stopwatch.Frequency, [.. timestamps], [.. images], [.. threads]);
        File.WriteAllText(outFile, JsonSerializer.Serialize(report));
    }

    private static void MeetPeers(string barrier, int peers, CancellationToken ct)
    {
        Directory.CreateDirectory(barrier);
        File.WriteAllText(Path.Combine(barrier, $"{Environment.ProcessId}.ready"), "");
        var clock = Stopwatch.StartNew();
        while (Directory.GetFiles(barrier, "*.ready").Length < peers)
        {
            ct.ThrowIfCancellationRequested();
            if (clock.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"{barrier}: the other bench trainer processes did not get ready within 5 minutes");
            Thread.Sleep(20);
        }
    }
}
