using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using DigitMl.Experiments.Serve;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// The service under load on loopback: N concurrent clients, each sending M detect requests (raw PNG bodies) one after
/// the other. Every answer is kept (status, body, latency), so a test can check each one and the bench can report
/// p50/p99 latency and requests per second.
/// </summary>
public static class ServiceLoad
{
    public const int Clients = 16;

    public sealed record Answer(int Client, int Request, int Image, int Status, string Body, double Milliseconds);

    public sealed record Run(IReadOnlyList<Answer> Answers, double Seconds)
    {
        public double RequestsPerSecond => Answers.Count / Seconds;

        public double P50Ms => Percentile(0.50);

        public double P99Ms => Percentile(0.99);

        /// <summary>Nearest-rank percentile of the request latencies.</summary>
        public double Percentile(double p)
        {
            var sorted = Answers.Select(a => a.Milliseconds).Order().ToArray();
            if (sorted.Length == 0) return double.NaN;
            int rank = (int)Math.Ceiling(p * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }

    public sealed record Result(int Clients, int Requests, double P50Ms, double P99Ms, double RequestsPerSecond, int Failed);

    /// <summary>
    /// Sends <paramref name="requestsPerClient"/> requests from each of <paramref name="clients"/> concurrent clients;
    /// client c's request i sends image (c * requestsPerClient + i) mod the image count. A failed request is an answer
    /// with status 0 and the error as body: nothing is dropped.
    /// </summary>
    public static async Task<Run> RunAsync(Uri baseAddress, IReadOnlyList<byte[]> pngImages, int clients, int requestsPerClient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pngImages);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var timer = Stopwatch.StartNew();
        var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var answers = new List<Answer>(requestsPerClient);
            for (int request = 0; request < requestsPerClient; request++)
            {
                int image = ((client * requestsPerClient) + request) % pngImages.Count;
                long start = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new ByteArrayContent(pngImages[image]);
                    content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                    using var response = await http.PostAsync("/v1/detect", content, cancellationToken);
                    string body = await response.Content.ReadAsStringAsync(cancellationToken);
                    answers.Add(new Answer(client, request, image, (int)response.StatusCode, body, Stopwatch.GetElapsedTime(start).TotalMilliseconds));
                }
                catch (HttpRequestException e)
                {
                    answers.Add(new Answer(client, request, image, 0, e.Message, Stopwatch.GetElapsedTime(start).TotalMilliseconds));
                }
            }

            return answers;
        }, cancellationToken)));
        return new Run(perClient.SelectMany(a => a).ToList(), timer.Elapsed.TotalSeconds);
    }

    /// <summary>The bench section: the service on a loopback port with <paramref name="modelPath"/>, 16 clients, quiet logging.</summary>
    public static Result Measure(BenchSettings settings, string modelPath, IReadOnlyList<string> imagePaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var images = imagePaths.Select(File.ReadAllBytes).ToList();
        int perClient = settings.Quick ? 10 : 100;
        return MeasureAsync(modelPath, images, perClient, cancellationToken).GetAwaiter().GetResult();
    }

    private static async Task<Result> MeasureAsync(string modelPath, IReadOnlyList<byte[]> images, int perClient, CancellationToken cancellationToken)
    {
        await using var app = DigitService.Build(new ServeOptions { Model = ModelSource.FromPath(modelPath) }, builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
        });
        await app.StartAndLoadAsync(cancellationToken);
        try
        {
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var baseAddress = new Uri(address.Replace("[::]", IPAddress.Loopback.ToString(), StringComparison.Ordinal));
            await RunAsync(baseAddress, images, 2, 5, cancellationToken); // warm-up: engines, connections, JIT
            var run = await RunAsync(baseAddress, images, Clients, perClient, cancellationToken);
            int failed = run.Answers.Count(a => a.Status != 200);
            return new Result(Clients, run.Answers.Count, run.P50Ms, run.P99Ms, run.RequestsPerSecond, failed);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }
}
