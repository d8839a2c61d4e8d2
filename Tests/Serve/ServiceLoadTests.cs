using System.Text.Json;
using DigitMl.Data;
using DigitMl.Experiments.Bench;
using DigitMl.Scoring;

namespace DigitMl.Tests.Serve;

/// <summary>
/// The service under concurrent load on a loopback port: 16 clients x 100 requests of generated scenes. Every answer
/// must arrive and equal what one thread gets from <see cref="DigitDetector"/> for the same image. Latency and
/// throughput are printed, not asserted (the bench reports them).
/// </summary>
public sealed class ServiceLoadTests
{
    [Test]
    [CancelAfter(600_000)]
    public async Task SixteenClientsTimesOneHundredRequestsAllAnsweredAndAllIdenticalToOneThread(CancellationToken cancellationToken)
    {
        const int clients = 16, perClient = 100;
        var images = ServeFixtures.Scenes.Select(File.ReadAllBytes).ToList();
        List<IReadOnlyList<Detection>> expected;
        using (var detector = DigitDetector.Load(ServeFixtures.ZipPath))
            expected = images.Select(detector.Detect).ToList();
        Assert.That(expected.Count(e => e.Count > 0), Is.GreaterThan(images.Count / 4), "sanity: enough scenes have detections to compare");

        await using var service = await TestService.StartOnLoopbackAsync(TestService.Options(ServeFixtures.ZipPath));
        var run = await ServiceLoad.RunAsync(service.BaseAddress, images, clients, perClient, cancellationToken);

        Assert.That(run.Answers, Has.Count.EqualTo(clients * perClient), "no request lost");
        Assert.That(run.Answers.Select(a => (a.Client, a.Request)).Distinct().Count(), Is.EqualTo(clients * perClient));
        var failed = run.Answers.Where(a => a.Status != 200).ToList();
        Assert.That(failed, Is.Empty, failed.Count > 0 ? $"{failed.Count} failed, first: {failed[0].Status} {failed[0].Body}" : "");
        int mismatches = 0;
        foreach (var answer in run.Answers)
        {
            using var document = JsonDocument.Parse(answer.Body);
            if (!ServeJson.Detections(document.RootElement).SequenceEqual(expected[answer.Image])) mismatches++;
        }

        Assert.That(mismatches, Is.Zero, "answers that differ from the single-threaded detector");
        TestContext.Out.WriteLine(FormattableString.Invariant(
            $"{run.Answers.Count} requests, {clients} clients: p50 {run.P50Ms:F1} ms, p99 {run.P99Ms:F1} ms, {run.RequestsPerSecond:F1} requests/s ({Environment.ProcessorCount} cores)"));
    }

    [Test]
    public void TheBenchSectionReportsLatencyAndThroughput()
    {
        var result = ServiceLoad.Measure(new BenchSettings { Quick = true }, ServeFixtures.OnnxPath, ServeFixtures.Scenes.Take(4).ToList(), CancellationToken.None);

        Assert.That(result.Requests, Is.EqualTo(ServiceLoad.Clients * 10));
        Assert.That(result.Failed, Is.Zero);
        Assert.That(result.P50Ms, Is.GreaterThan(0));
        Assert.That(result.P99Ms, Is.GreaterThanOrEqualTo(result.P50Ms));
        Assert.That(result.RequestsPerSecond, Is.GreaterThan(0));
        TestContext.Out.WriteLine(FormattableString.Invariant($"bench section: {result.Requests} requests: p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, {result.RequestsPerSecond:F1} requests/s"));
    }
}
