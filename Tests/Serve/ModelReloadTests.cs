using System.Net;
using DigitMl.Experiments.Serve;
using DigitMl.Scoring;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Serve;

/// <summary>
/// The default model is the experiment's best version; with reloading on, the service follows the best pointer, keeps
/// serving the old version when the new one cannot be loaded, and lets requests on a replaced model finish.
/// </summary>
public sealed class ModelReloadTests
{
    /// <summary>An artifact store with experiment "tiny": v0001 (ONNX only), v0002 (zip + ONNX + metrics), v0003 (broken); best names v0001.</summary>
    private static string Store()
    {
        string root = TinyScenes.NewTempDirectory("serve-artifacts");
        string experiment = Path.Combine(root, "tiny");
        foreach (var (version, files) in new[] { ("v0001", new[] { "model.onnx" }), ("v0002", new[] { "model.zip", "model.onnx", "metrics.json" }) })
        {
            Directory.CreateDirectory(Path.Combine(experiment, version));
            foreach (string file in files) File.Copy(Path.Combine(ServeFixtures.ModelFolder, file), Path.Combine(experiment, version, file));
        }

        Directory.CreateDirectory(Path.Combine(experiment, "v0003"));
        File.WriteAllText(Path.Combine(experiment, "v0003", "model.onnx"), "half-written garbage");
        PointBestAt(root, "v0001");
        return root;
    }

    /// <summary>Rewrites the pointer the way the leaderboard does: a temporary file renamed over it.</summary>
    private static void PointBestAt(string store, string version)
    {
        string pointer = Path.Combine(store, "tiny", "best");
        File.WriteAllText(pointer + ".tmp", version + "\n");
        File.Move(pointer + ".tmp", pointer, overwrite: true);
    }

    private static async Task<string> VersionAsync(TestService service) =>
        (await ServeJson.OkJsonAsync(await service.Client.GetAsync("/v1/model"))).GetProperty("version").GetString()!;

    private static async Task WaitForVersionAsync(TestService service, string version)
    {
        for (int attempt = 0; attempt < 600; attempt++)
        {
            if (await VersionAsync(service) == version) return;
            await Task.Delay(100);
        }

        Assert.Fail($"still serving {await VersionAsync(service)} 60 s after best named {version}");
    }

    [Test]
    public async Task FollowsTheBestPointerAndKeepsServingWhenTheNewVersionCannotBeLoaded()
    {
        string store = Store();
        var options = new ServeOptions { Model = ModelSource.FromBestPointer(store, "tiny"), ReloadOnBestChange = true, ReloadPollInterval = TimeSpan.FromMilliseconds(100) };
        await using var service = await TestService.StartInMemoryAsync(options);
        byte[] png = File.ReadAllBytes(ServeFixtures.Scenes[0]);
        var first = await ServeJson.OkJsonAsync(await service.Client.GetAsync("/v1/model"));
        Assert.That(first.GetProperty("version").GetString(), Is.EqualTo("v0001"));
        Assert.That(first.GetProperty("format").GetString(), Is.EqualTo("onnx"));

        PointBestAt(store, "v0002");
        await WaitForVersionAsync(service, "v0002");
        var second = await ServeJson.OkJsonAsync(await service.Client.GetAsync("/v1/model"));
        Assert.That(second.GetProperty("format").GetString(), Is.EqualTo("zip"));
        Assert.That(second.GetProperty("metrics").GetProperty("map50").GetDouble(), Is.EqualTo(0.5));
        var answer = await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(service.Client, png));
        Assert.That(answer.GetProperty("model").GetString(), Is.EqualTo("v0002"));

        PointBestAt(store, "v0003");
        await Task.Delay(1500); // fifteen polls
        Assert.That(await VersionAsync(service), Is.EqualTo("v0002"), "a version that cannot be loaded is skipped");
        Assert.That((await service.Client.GetAsync("/readyz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(service.Client, png));

        PointBestAt(store, "v0001");
        await WaitForVersionAsync(service, "v0001");
    }

    [Test]
    public async Task AReplacedModelFinishesItsRequestsAndIsDisposedAfterTheLast()
    {
        string store = Store();
        await using var service = await TestService.StartInMemoryAsync(new ServeOptions { Model = ModelSource.FromBestPointer(store, "tiny") });
        byte[] png = File.ReadAllBytes(ServeFixtures.Scenes[0]);
        using var detector = DigitDetector.Load(ServeFixtures.OnnxPath);
        var lease = service.Model.Acquire()!;
        Assert.That(lease.Model.Version, Is.EqualTo("v0001"));

        PointBestAt(store, "v0002");
        Assert.That(service.Model.ReloadIfPointerChanged(), Is.True);
        Assert.That(service.Model.Current!.Version, Is.EqualTo("v0002"));
        Assert.That(service.Model.ReloadIfPointerChanged(), Is.False, "nothing changed since");

        Assert.That(lease.Model.Detect(png, DetectParameters.Defaults), Is.EqualTo(detector.Detect(png)), "the request holding v0001 still runs on it");
        var replaced = lease.Model;
        lease.Dispose();
        Assert.Throws<ObjectDisposedException>(() => replaced.Detect(png, DetectParameters.Defaults), "released by its last request, v0001 is disposed");
        await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(service.Client, png));
    }

    [Test]
    public void ReloadingFollowsABestPointerOnly()
    {
        var options = new ServeOptions { Model = ModelSource.FromPath(ServeFixtures.ZipPath), ReloadOnBestChange = true };

        Assert.That(Assert.Throws<ArgumentException>(options.Validate)!.Message, Does.Contain("best pointer"));
    }
}
