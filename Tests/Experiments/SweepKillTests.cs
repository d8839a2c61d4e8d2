using System.Diagnostics;
using DigitMl.Experiments.Artifacts;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Experiments;

/// <summary>
/// The real thing behind <see cref="KillAndResumeTests"/>: `sweep` in a child process on a tiny experiment (tiny model,
/// 64 px, a handful of images), killed with SIGKILL in its second trial, then `sweep --resume` once.
/// </summary>
public sealed class SweepKillTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    // the plain progress lines (output redirected) say where the child is
    [TestCase("[t02] epoch 1/2", TestName = "SigkillBetweenTheEpochsOfTheSecondTrial")]
    [TestCase("[t02] exporting", TestName = "SigkillWhileTheSecondTrialExports")]
    public void AResumeAfterSigkillFinishesTheSweepWithoutRetrainingFinishedWork(string killAt)
    {
        using var temp = new TempFolder();
        string data = TinyScenes.Create(train: 8, val: 4, test: 4);
        string config = Path.Combine(temp.Path, "tiny.yaml");
        File.WriteAllText(config, $"""
            name: killed
            data: {data}
            fixed: {"{"}scale: tiny, imgsz: 64, epochs: 2, batch: 4, workers: 0, warmup_epochs: 0, close_mosaic: 0, optimizer: SGD{"}"}
            search:
              lr0: [0.01, 0.02]
            """);
        string artifacts = Path.Combine(temp.Path, "artifacts");
        var store = new ArtifactStore(artifacts);

        var (killedOutput, killed) = RunUntil(killAt, "sweep", "--config", config, "--artifacts", artifacts, "--no-test");
        Assert.That(killed, Is.True, $"the sweep reached '{killAt}' and was killed:\n{killedOutput}");
        Assert.That(store.Versions("killed").Select(Path.GetFileName), Is.EqualTo(new[] { "v0001" }), "t01 was committed, t02 was not");
        string firstTrialOutcome = File.ReadAllText(Path.Combine(store.ExperimentDirectory("killed"), "v0001", TrialOutcome.FileName));

        var (exit, output) = Run("sweep", "--config", config, "--artifacts", artifacts, "--no-test", "--resume");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("(resumed)"));
        Assert.That(output, Does.Not.Contain("[t01 1/2]"), "the finished trial is not run again");
        Assert.That(output, Does.Contain("[t02 2/2] v0002 lr0=0.02: resuming from last.ckpt"), output);
        Assert.That(output, Does.Contain("[t02 v0002: ok"), output);
        Assert.That(File.ReadAllText(Path.Combine(store.ExperimentDirectory("killed"), "v0001", TrialOutcome.FileName)), Is.EqualTo(firstTrialOutcome));
        var epochs = File.ReadAllLines(Path.Combine(store.ExperimentDirectory("killed"), "v0002", "results.csv")).Skip(1).Select(l => l.Split(',')[0].Trim()).ToList();
        Assert.That(epochs, Is.EqualTo(new[] { "1", "2" }), "each epoch of t02 is in results.csv once");
        KillAndResumeTests.AssertCompleteVersionsOnly(store, "killed", 2);
    }

    /// <summary>Starts the CLI and sends SIGKILL (Process.Kill on Unix) as soon as a line starting with <paramref name="marker"/> appears.</summary>
    private static (string Output, bool Killed) RunUntil(string marker, params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var output = new System.Text.StringBuilder();
        var reached = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.StartsWith(marker, StringComparison.Ordinal)) reached.Set();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (output) output.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool killed = reached.Wait(Timeout) && !process.HasExited;
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        lock (output) return (output.ToString(), killed);
    }

    private static (int Exit, string Output) Run(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the CLI did not finish in {Timeout.TotalMinutes} min");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static ProcessStartInfo StartInfo(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DigitMl.Experiments.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }
}
