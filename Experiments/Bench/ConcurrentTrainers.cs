using System.Diagnostics;
using System.Text.Json;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// The two-jobs figure: the same training in a separate process, first alone, then two at once sharing the machine's
/// cores through one core-share folder (as two `train` or `sweep` jobs do). The processes of a round start training
/// together and train for the same time (<see cref="TrainerWorker"/>); each logs when its batches finished, and a
/// rate is taken over the window in which every process was past its first batches and still training.
/// </summary>
public static class ConcurrentTrainers
{
    /// <summary>Batches each process trains before its rate is counted (start-up: libtorch's first calls are slow).</summary>
    private const int SettleBatches = 2;

    public sealed record Result(double OneImagesPerSecond, double TwoImagesPerSecond, int[] TwoThreads)
    {
        public double TwoVsOne => TwoImagesPerSecond / OneImagesPerSecond;
    }

    public static Result Measure(BenchSettings settings, string dataYaml, string workDir, TimeSpan timeout, CancellationToken ct)
    {
        var one = RunRound(settings, dataYaml, Path.Combine(workDir, "one"), 1, timeout, ct);
        var two = RunRound(settings, dataYaml, Path.Combine(workDir, "two"), 2, timeout, ct);
        return new Result(SummedRate(one), SummedRate(two), ThreadsTogether(two));
    }

    private static List<TrainerWorker.Report> RunRound(BenchSettings settings, string dataYaml, string directory, int processes, TimeSpan timeout, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        string share = Path.Combine(directory, "cores");
        var started = new List<(Process Process, string Out, System.Text.StringBuilder Errors)>();
        try
        {
            for (int i = 0; i < processes; i++)
            {
                string outFile = Path.Combine(directory, $"worker{i}.json");
                var errors = new System.Text.StringBuilder();
                var process = new Process { StartInfo = WorkerStart(settings, dataYaml, outFile, share, Path.Combine(directory, "ready"), processes) };
                process.ErrorDataReceived += (_, e) =>
                {
                    if (e.Data is null) return;
                    lock (errors) errors.AppendLine(e.Data);
                };
                process.Start();
                process.BeginErrorReadLine();
                started.Add((process, outFile, errors));
            }
            var deadline = Stopwatch.StartNew();
            foreach (var (process, _, _) in started)
            {
                while (!process.WaitForExit(200))
                {
                    ct.ThrowIfCancellationRequested();
                    if (deadline.Elapsed > timeout) throw new TimeoutException($"a bench trainer process did not finish within {timeout.TotalSeconds:0} s");
                }
            }
            var reports = new List<TrainerWorker.Report>();
            foreach (var (process, outFile, errors) in started)
            {
                process.WaitForExit(); // the end of its stderr
                if (process.ExitCode != 0 || !File.Exists(outFile))
                {
                    lock (errors)
                        throw new InvalidOperationException($"a bench trainer process failed (exit code {process.ExitCode}, "
                            + (File.Exists(outFile) ? "after writing its report" : "before writing its report") + $"): {errors.ToString().Trim()}");
                }
                reports.Add(JsonSerializer.Deserialize<TrainerWorker.Report>(File.ReadAllText(outFile))
                    ?? throw new InvalidDataException($"{outFile}: empty worker report"));
            }
            return reports;
        }
        finally
        {
            foreach (var (process, _, _) in started)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.Dispose();
            }
        }
    }

    /// <summary>Images/s summed over the processes, each counted over the window all of them were training in.</summary>
    public static double SummedRate(IReadOnlyList<TrainerWorker.Report> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0) return double.NaN;
        if (reports.Any(r => r.Timestamps.Length < 2)) return double.NaN;
        long frequency = reports[0].Frequency;
        long start = reports.Max(r => r.Timestamps[Math.Min(SettleBatches, r.Timestamps.Length - 2)]);
        long end = reports.Min(r => r.Timestamps[^1]);
        if (end <= start) return double.NaN;
        double seconds = (double)(end - start) / frequency;
        return reports.Sum(r => (ImagesAt(r, end) - ImagesAt(r, start)) / seconds);
    }

    /// <summary>Each process's libtorch threads at its last batch before the first of them finished.</summary>
    public static int[] ThreadsTogether(IReadOnlyList<TrainerWorker.Report> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        long end = reports.Min(r => r.Timestamps[^1]);
        return [.. reports.Select(r => r.Threads[Math.Max(0, Array.FindLastIndex(r.Timestamps, t => t <= end))])];
    }

    /// <summary>Images done at <paramref name="timestamp"/>, linear between the batch marks.</summary>
    private static double ImagesAt(TrainerWorker.Report report, long timestamp)
    {
        var t = report.Timestamps;
        if (timestamp <= t[0]) return report.Images[0];
        for (int i = 1; i < t.Length; i++)
        {
            if (timestamp <= t[i])
                return report.Images[i - 1] + ((double)(report.Images[i] - report.Images[i - 1]) * (timestamp - t[i - 1]) / (t[i] - t[i - 1]));
        }
        return report.Images[^1];
    }

    /// <summary>This same program, run as a bench trainer worker (through the dotnet host when that is what runs us).</summary>
    private static ProcessStartInfo WorkerStart(BenchSettings settings, string dataYaml, string outFile, string share, string barrier, int peers)
    {
        string dll = typeof(ConcurrentTrainers).Assembly.Location;
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = false };
        string apphost = Path.Combine(Path.GetDirectoryName(dll)!, Path.GetFileNameWithoutExtension(dll) + (OperatingSystem.IsWindows() ? ".exe" : ""));
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.FileName = host;
            start.ArgumentList.Add(dll);
        }
        else
        {
            start.FileName = string.Equals(Path.GetFullPath(host), Path.GetFullPath(apphost), StringComparison.Ordinal) ? host : "dotnet";
            if (start.FileName == "dotnet") start.ArgumentList.Add(dll);
        }
        foreach (var argument in new[]
        {
            "bench", "--worker-data", dataYaml, "--worker-out", outFile, "--worker-share", share,
            "--worker-barrier", barrier, "--worker-peers", peers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--scale", settings.Scale.Name, "--imgsz", settings.ImageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--batch", settings.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--precision", settings.Precision, "--threads", settings.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }
        if (settings.Quick) start.ArgumentList.Add("--quick");
        return start;
    }
}
