using System.Net;
using System.Net.Sockets;
using DigitMl.Scoring;
using DigitMl.Tests.Scoring;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Serve;

/// <summary>
/// The real `serve` command in its own process: it answers on a loopback port with no TorchSharp library in its memory
/// map, finishes a request that is in flight when SIGTERM arrives, and refuses a model it cannot serve with one line.
/// </summary>
public sealed class ServeProcessTests
{
    [Test]
    public async Task ServesWithoutTorchSharpInItsMemoryAndFinishesAnInFlightRequestOnSigterm()
    {
        using var server = ServeProcess.Start("--model", ServeFixtures.ZipPath, "--urls", "http://127.0.0.1:0");
        var baseAddress = await server.WaitForReadyAsync(TimeSpan.FromMinutes(2));
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        byte[] png = File.ReadAllBytes(ServeFixtures.Scenes[3]);
        using var detector = DigitDetector.Load(ServeFixtures.ZipPath);
        var expected = detector.Detect(png);

        var answer = await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(http, png));
        Assert.That(ServeJson.Detections(answer), Is.EqualTo(expected), "the served process answers as the library does here");

        // What the process has mapped while it serves: every managed assembly and native library it loaded.
        var mapped = File.ReadAllLines($"/proc/{server.Id}/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6).Select(f => f[^1]).Distinct().ToList();
        Assert.That(mapped, Has.Some.EndsWith("libonnxruntime.so"), "sanity: the model runs on ONNX Runtime in this process");
        Assert.That(mapped, Has.Some.EndsWith("/DigitMl.dll"), "sanity: the serving library is mapped");
        Assert.That(mapped.Where(p => p.Contains("torch", StringComparison.OrdinalIgnoreCase)), Is.Empty, "no TorchSharp or libtorch file is loaded");
        TestContext.Out.WriteLine(string.Join('\n', mapped.Where(p => p.Contains("DigitMl", StringComparison.Ordinal) || p.EndsWith(".so", StringComparison.Ordinal))));

        // Graceful stop: a request whose body is half sent when SIGTERM arrives still gets its full answer.
        var content = new GatedContent(png);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        var inFlight = http.PostAsync("/v1/detect", content);
        await content.HalfSent.WaitAsync(TimeSpan.FromMinutes(1));
        await Task.Delay(500); // the server has the headers and waits for the rest of the body
        server.Terminate();
        await WaitUntilRefusedAsync(baseAddress); // shutting down: no new connections
        content.SendRest();

        var late = await ServeJson.OkJsonAsync(await inFlight);
        Assert.That(ServeJson.Detections(late), Is.EqualTo(expected));
        Assert.That(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.Zero, server.Stdout);
        Assert.That(server.Stdout, Does.Contain("serve: stopped"));
        Assert.That(server.Stderr, Is.Empty);
        Assert.That(server.Stdout, Does.Not.Contain("POST /v1/detect"), "no per-request log lines by default");
    }

    [Test]
    public async Task RequestLogLinesAppearWhenAskedFor()
    {
        using var server = ServeProcess.Start("--model", ServeFixtures.OnnxPath, "--urls", "http://127.0.0.1:0", "--log-requests");
        var baseAddress = await server.WaitForReadyAsync(TimeSpan.FromMinutes(2));
        using var http = new HttpClient { BaseAddress = baseAddress };

        await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(http, File.ReadAllBytes(ServeFixtures.Scenes[0])));
        await ServeJson.PostRawAsync(http, "not an image"u8.ToArray());
        server.Terminate();
        Assert.That(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.Zero);

        Assert.That(server.Stdout, Does.Match(@"POST /v1/detect 200 v0001 64x64: \d+ detections in [\d.]+ ms"));
        Assert.That(server.Stdout, Does.Contain("POST /v1/detect 400 not-an-image"));
    }

    [TestCase("missing")]
    [TestCase("broken")]
    [TestCase("checkpoint")]
    [TestCase("no-best")]
    [TestCase("port-in-use")]
    public void AModelOrAddressItCannotServeIsOneErrorLineAndExitCodeOne(string problem)
    {
        string folder = TinyScenes.NewTempDirectory("serve-start");
        string broken = Path.Combine(folder, "model.onnx");
        File.WriteAllText(broken, "not an ONNX model");
        string checkpoint = Path.Combine(folder, "best.ckpt");
        File.WriteAllText(checkpoint, "weights");
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (args, named) = problem switch
        {
            "missing" => (new[] { "--model", "/nonexistent/model.zip" }, "/nonexistent/model.zip"),
            "broken" => (["--model", broken], broken),
            "checkpoint" => (["--model", checkpoint], "export it first"),
            "no-best" => (["--artifacts", folder, "--experiment", "digits"], Path.Combine(folder, "digits", "best")),
            _ => (["--model", ServeFixtures.ZipPath, "--urls", $"http://127.0.0.1:{takenPort}"], $"127.0.0.1:{takenPort}"),
        };
        string[] command = problem == "port-in-use" ? ["serve", .. args] : ["serve", .. args, "--urls", "http://127.0.0.1:0"];

        var (exitCode, stdout, stderr) = PredictCommandTests.RunCli(command);

        Assert.That(exitCode, Is.EqualTo(1), stdout + stderr);
        var lines = stderr.Trim().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), stderr);
        Assert.That(lines[0], Does.StartWith("error: ").And.Contain(named));
        Assert.That(stdout + stderr, Does.Not.Contain("   at "), "no stack trace");
    }

    private static async Task WaitUntilRefusedAsync(Uri baseAddress)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(baseAddress.Host, baseAddress.Port);
            }
            catch (SocketException)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the server kept accepting connections 10 s after SIGTERM");
    }

    /// <summary>An image body sent in two halves: the second only after <see cref="SendRest"/>.</summary>
    private sealed class GatedContent(byte[] bytes) : HttpContent
    {
        private readonly TaskCompletionSource _halfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _rest = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task HalfSent => _halfSent.Task;

        public void SendRest() => _rest.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            int half = bytes.Length / 2;
            await stream.WriteAsync(bytes.AsMemory(0, half));
            await stream.FlushAsync();
            _halfSent.TrySetResult();
            await _rest.Task;
            await stream.WriteAsync(bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
