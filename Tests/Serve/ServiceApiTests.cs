using System.Net;
using System.Net.Http.Headers;
using DigitMl.Data;
using DigitMl.Experiments.Serve;
using DigitMl.Scoring;
using Microsoft.Extensions.DependencyInjection;

namespace DigitMl.Tests.Serve;

/// <summary>
/// `serve` through ASP.NET Core's test host: every endpoint with a model.zip and a model.onnx, answers checked against
/// the library's own <see cref="DigitDetector"/>, and every kind of bad request answered with an RFC 7807 problem while
/// the service keeps serving.
/// </summary>
public sealed class ServiceApiTests
{
    [TestCase(ModelFiles.ZipFileName)]
    [TestCase(ModelFiles.OnnxFileName)]
    public async Task DetectAnswersExactlyWhatTheDetectorFindsAsRawBodyAndAsForm(string modelFile)
    {
        string model = Path.Combine(ServeFixtures.ModelFolder, modelFile);
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(model));
        using var detector = DigitDetector.Load(model);

        int found = 0;
        foreach (string scene in ServeFixtures.Scenes.Take(6))
        {
            byte[] png = File.ReadAllBytes(scene);
            var expected = detector.Detect(png);
            found += expected.Count;

            var answer = await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(service.Client, png));
            Assert.That(ServeJson.Detections(answer), Is.EqualTo(expected), scene);
            Assert.That(answer.GetProperty("model").GetString(), Is.EqualTo("v0001"));
            Assert.That(answer.GetProperty("image").GetProperty("width").GetInt32(), Is.EqualTo(64));
            Assert.That(answer.GetProperty("image").GetProperty("height").GetInt32(), Is.EqualTo(64));
            Assert.That(answer.GetProperty("image").GetProperty("format").GetString(), Is.EqualTo("png"));
            Assert.That(answer.GetProperty("text").GetString(), Is.EqualTo(ReadingOrder.Text(expected)));
            Assert.That(answer.GetProperty("lines").EnumerateArray().Select(l => l.GetString()), Is.EqualTo(ReadingOrder.Lines(expected)));
            Assert.That(answer.GetProperty("time_ms").GetDouble(), Is.GreaterThan(0));
            Assert.That(answer.GetProperty("thresholds").GetProperty("conf").GetSingle(), Is.EqualTo(detector.Settings.Thresholds.Confidence));

            var form = await ServeJson.OkJsonAsync(await ServeJson.PostFormAsync(service.Client, png));
            Assert.That(ServeJson.Detections(form), Is.EqualTo(expected), scene);
        }

        Assert.That(found, Is.GreaterThan(0), "sanity: the trained tiny model finds something in the scenes");
    }

    [TestCase(ModelFiles.ZipFileName, "zip")]
    [TestCase(ModelFiles.OnnxFileName, "onnx")]
    public async Task ModelEndpointDescribesTheServedArtifact(string modelFile, string format)
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(Path.Combine(ServeFixtures.ModelFolder, modelFile)));

        var info = await ServeJson.OkJsonAsync(await service.Client.GetAsync("/v1/model"));

        Assert.That(info.GetProperty("version").GetString(), Is.EqualTo("v0001"));
        Assert.That(info.GetProperty("experiment").GetString(), Is.EqualTo("tiny"));
        Assert.That(info.GetProperty("file").GetString(), Is.EqualTo(modelFile));
        Assert.That(info.GetProperty("format").GetString(), Is.EqualTo(format));
        Assert.That(info.GetProperty("classes").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.That(info.GetProperty("image_size").GetInt32(), Is.EqualTo(64));
        Assert.That(info.GetProperty("thresholds").GetProperty("iou").GetSingle(), Is.EqualTo(0.7f));
        Assert.That(info.GetProperty("metrics").GetProperty("map50").GetDouble(), Is.EqualTo(0.5));
        Assert.That(info.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Is.EqualTo(new[] { "conf", "iou", "max_det", "inference", "orientation" }));
        Assert.That(info.GetProperty("image_formats").GetArrayLength(), Is.EqualTo(4));
    }

    [Test]
    public async Task EveryAcceptedImageFormatIsRead()
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(ServeFixtures.ZipPath));
        string scene = ServeFixtures.Scenes[0];
        var fromPng = ServeJson.Detections(await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(service.Client, File.ReadAllBytes(scene))));

        foreach (var (format, contentType) in new[] { ("jpeg", "image/jpeg"), ("webp", "image/webp"), ("bmp", "image/bmp"), ("png", "application/octet-stream") })
        {
            byte[] bytes = ServeImages.Encode(scene, format);
            var answer = await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(service.Client, bytes, contentType));
            Assert.That(answer.GetProperty("image").GetProperty("format").GetString(), Is.EqualTo(format));
            Assert.That(answer.GetProperty("image").GetProperty("width").GetInt32(), Is.EqualTo(64), format);
            if (format is "bmp" or "png")
                Assert.That(ServeJson.Detections(answer), Is.EqualTo(fromPng), $"{format} is lossless: same pixels, same detections");
        }
    }

    [Test]
    public async Task InferenceAndOrientationParametersGiveWhatADetectorLoadedWithThemGives()
    {
        var options = TestService.Options(ServeFixtures.ZipPath) with { MaxThresholdVariants = 2 };
        await using var service = await TestService.StartInMemoryAsync(options);
        // a 4x4 mosaic of the 64 px scenes (256 px, 4x the model's size): letterbox, native and tiles read different inputs
        byte[] page = ServeImages.Mosaic(ServeFixtures.Scenes.Take(16).ToList(), columns: 4);
        (string Query, ScoringOptions Reference)[] cases =
        [
            ("inference=letterbox", new ScoringOptions { Inference = InferenceMode.Letterbox }),
            ("inference=native&conf=0.1", new ScoringOptions { Inference = InferenceMode.Native, Confidence = 0.1f }),
            ("inference=tiles&orientation=off", new ScoringOptions { Inference = InferenceMode.Tiles, PageOrientation = PageOrientationMode.Off }),
            ("inference=tiles&conf=0.4", new ScoringOptions { Inference = InferenceMode.Tiles, Confidence = 0.4f }),
            ("orientation=on&iou=0.5", new ScoringOptions { PageOrientation = PageOrientationMode.On, IoU = 0.5f }),
        ];
        var answers = new List<IReadOnlyList<Detection>>();
        foreach (var (query, reference) in cases)
        {
            using var detector = DigitDetector.Load(ServeFixtures.ZipPath, reference);
            var answer = ServeJson.Detections(await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(service.Client, page, query: "?" + query)));
            Assert.That(answer, Is.EqualTo(detector.Detect(page)), query);
            answers.Add(answer);
        }

        Assert.That(answers[0], Is.Not.EqualTo(answers[1]), "sanity: letterbox and native read the mosaic differently");
    }

    [Test]
    public async Task RequestThresholdsGiveWhatADetectorLoadedWithThoseThresholdsGives()
    {
        // Two variants kept, so the third IoU value takes the one-off path.
        var options = TestService.Options(ServeFixtures.ZipPath) with { MaxThresholdVariants = 2 };
        await using var service = await TestService.StartInMemoryAsync(options);
        (float? Conf, float? IoU, int? MaxDet)[] cases =
        [
            (0.5f, null, null), (0.3f, null, 2),          // filtered from the main detector
            (0.05f, null, null), (null, 0.3f, null),      // lower conf; other IoU (variant 1 and 2)
            (0.1f, 0.5f, 3), (0.01f, 0.95f, 1000),       // third and fourth IoU: one-off detectors
            (0f, 0.3f, 500),
        ];
        var scenes = ServeFixtures.Scenes.Take(4).Select(File.ReadAllBytes).ToList();
        foreach (var (conf, iou, maxDet) in cases)
        {
            using var reference = DigitDetector.Load(ServeFixtures.ZipPath, new ScoringOptions
            {
                Confidence = conf ?? 0.25f,
                IoU = iou ?? 0.7f,
                MaxDetections = maxDet ?? 300,
            });
            var query = new List<string>();
            if (conf is { } c) query.Add(FormattableString.Invariant($"conf={c}"));
            if (iou is { } i) query.Add(FormattableString.Invariant($"iou={i}"));
            if (maxDet is { } m) query.Add(FormattableString.Invariant($"max_det={m}"));
            foreach (byte[] png in scenes)
            {
                var answer = await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(service.Client, png, query: "?" + string.Join('&', query)));
                Assert.That(ServeJson.Detections(answer), Is.EqualTo(reference.Detect(png)), $"conf={conf} iou={iou} max_det={maxDet}");
            }
        }

        // as multipart form fields too
        var fromForm = await ServeJson.OkJsonAsync(await ServeJson.PostFormAsync(service.Client, scenes[0], "s.png", ("conf", "0.01"), ("max_det", "2")));
        using var formReference = DigitDetector.Load(ServeFixtures.ZipPath, new ScoringOptions { Confidence = 0.01f, MaxDetections = 2 });
        Assert.That(ServeJson.Detections(fromForm), Is.EqualTo(formReference.Detect(scenes[0])));
        Assert.That(ServeJson.Detections(fromForm), Has.Count.EqualTo(2), "sanity: max_det cuts");
    }

    [Test]
    public async Task EmptyBodyIsAProblemAndTheServiceStaysUp()
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(ServeFixtures.ZipPath));

        string detail = await ServeJson.ProblemAsync(await ServeJson.PostRawAsync(service.Client, []), HttpStatusCode.BadRequest, "empty-body");
        Assert.That(detail, Does.Contain("multipart/form-data"));
        await ServeJson.ProblemAsync(await ServeJson.PostFormAsync(service.Client, []), HttpStatusCode.BadRequest, "empty-body");
        var noFile = new MultipartFormDataContent { { new StringContent("0.5"), "conf" } };
        await ServeJson.ProblemAsync(await service.Client.PostAsync("/v1/detect", noFile), HttpStatusCode.BadRequest, "no-image-part");
        await AssertStillServesAsync(service);
    }

    [Test]
    public async Task NotAnImageIsAProblemAndTheServiceStaysUp()
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(ServeFixtures.ZipPath));
        byte[] text = "these are my notes, not a picture"u8.ToArray();

        string detail = await ServeJson.ProblemAsync(await ServeJson.PostRawAsync(service.Client, text), HttpStatusCode.BadRequest, "not-an-image");
        Assert.That(detail, Does.Contain("not a PNG, JPEG, BMP or WebP"));
        await ServeJson.ProblemAsync(await ServeJson.PostFormAsync(service.Client, text, "notes.txt"), HttpStatusCode.BadRequest, "not-an-image");
        // a GIF decodes in SkiaSharp but is not an accepted format
        await ServeJson.ProblemAsync(await ServeJson.PostRawAsync(service.Client, "GIF89a\x01\x00\x01\x00"u8.ToArray(), "image/gif"), HttpStatusCode.UnsupportedMediaType, "unsupported-content-type");
        await ServeJson.ProblemAsync(await ServeJson.PostRawAsync(service.Client, "GIF89a\x01\x00\x01\x00"u8.ToArray()), HttpStatusCode.BadRequest, "not-an-image");
        await AssertStillServesAsync(service);
    }

    [TestCase("png")]
    [TestCase("jpeg")]
    [TestCase("webp")]
    public async Task TruncatedImageIsAProblemAndTheServiceStaysUp(string format)
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(ServeFixtures.ZipPath));
        byte[] whole = ServeImages.Encode(ServeFixtures.Scenes[1], format);

        foreach (int keep in new[] { whole.Length * 6 / 10, 24 })
        {
            byte[] cut = whole[..keep];
            string detail = await ServeJson.ProblemAsync(await ServeJson.PostRawAsync(service.Client, cut), HttpStatusCode.BadRequest, "corrupt-image");
            Assert.That(detail, Does.Contain(format.ToUpperInvariant()), $"{keep} of {whole.Length} bytes");
        }

        await AssertStillServesAsync(service);
    }

    [Test]
    public async Task DecompressionBombIsRefusedFromItsHeaderBeforeAnyPixelIsDecoded()
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(ServeFixtures.ZipPath));
        byte[] bomb = ServeImages.BombPng(10_000, 10_000);
        Assert.That(bomb.Length, Is.LessThan(1_000_000), "sanity: 100 megapixels in a small file");
        await AssertStillServesAsync(service); // warm: engines and JIT are not counted below

        long before = GC.GetTotalAllocatedBytes(precise: true);
        string detail = await ServeJson.ProblemAsync(await ServeJson.PostRawAsync(service.Client, bomb), (HttpStatusCode)422, "too-many-pixels");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.That(detail, Does.Contain("10000x10000").And.Contain("50000000"));
        // decoding would need 400 MB of RGBA and 300 MB of RGB; the body and header checks need a few copies of 100 KB
        Assert.That(allocated, Is.LessThan(32L * 1024 * 1024), $"{allocated} bytes allocated while refusing the bomb");
        await AssertStillServesAsync(service);
    }

    [Test]
    public async Task ImageAboveAConfiguredPixelLimitIsRefused()
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(ServeFixtures.ZipPath) with { MaxImagePixels = 4000 });

        string detail = await ServeJson.ProblemAsync(await ServeJson.PostRawAsync(service.Client, File.ReadAllBytes(ServeFixtures.Scenes[0])), (HttpStatusCode)422, "too-many-pixels");

        Assert.That(detail, Does.Contain("64x64 = 4096 pixels").And.Contain("4000"));
    }

    [Test]
    public async Task BodyOverTheLimitIsAProblemWithOrWithoutContentLengthAndTheServiceStaysUp()
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(ServeFixtures.ZipPath) with { MaxBodyBytes = 16 * 1024 });
        byte[] big = ServeImages.Encode(ServeFixtures.Scenes[0], "bmp").Concat(new byte[64 * 1024]).ToArray();

        string detail = await ServeJson.ProblemAsync(await ServeJson.PostRawAsync(service.Client, big, "image/bmp"), HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        Assert.That(detail, Does.Contain("16384 bytes"));

        var chunked = new StreamContent(new NonSeekableStream(big));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("image/bmp");
        Assert.That(chunked.Headers.ContentLength, Is.Null, "sanity: sent without Content-Length");
        await ServeJson.ProblemAsync(await service.Client.PostAsync("/v1/detect", chunked), HttpStatusCode.RequestEntityTooLarge, "body-too-large");

        var form = new MultipartFormDataContent { { new ByteArrayContent(big), "image", "big.bmp" } };
        await ServeJson.ProblemAsync(await service.Client.PostAsync("/v1/detect", form), HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        await AssertStillServesAsync(service);
    }

    [TestCase("text/plain")]
    [TestCase("application/json")]
    [TestCase("application/x-www-form-urlencoded")] // what curl -d sends unless told otherwise
    [TestCase("image/gif")]
    [TestCase("not a media type")]
    public async Task WrongContentTypeIsAProblemAndTheServiceStaysUp(string contentType)
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(ServeFixtures.ZipPath));
        var content = new ByteArrayContent(File.ReadAllBytes(ServeFixtures.Scenes[0]));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        string detail = await ServeJson.ProblemAsync(await service.Client.PostAsync("/v1/detect", content), HttpStatusCode.UnsupportedMediaType, "unsupported-content-type");

        Assert.That(detail, Does.Contain(contentType).And.Contain("image/png"));
        await AssertStillServesAsync(service);
    }

    [TestCase("conf=1", "conf")]
    [TestCase("conf=-0.1", "conf")]
    [TestCase("conf=abc", "conf")]
    [TestCase("conf=NaN", "conf")]
    [TestCase("iou=0", "iou")]
    [TestCase("iou=1.5", "iou")]
    [TestCase("max_det=0", "max_det")]
    [TestCase("max_det=1001", "max_det")]
    [TestCase("max_det=2.5", "max_det")]
    [TestCase("confidence=0.5", "unknown parameter 'confidence'")]
    [TestCase("conf=0.3&conf=0.4", "more than once")]
    [TestCase("inference=sahi", "inference must be one of auto, letterbox, native, tiles")]
    [TestCase("inference=1", "inference")]
    [TestCase("orientation=sideways", "orientation must be one of auto, on, off")]
    public async Task OutOfRangeOrUnknownParametersAreProblems(string query, string named)
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(ServeFixtures.ZipPath));

        string detail = await ServeJson.ProblemAsync(
            await ServeJson.PostRawAsync(service.Client, File.ReadAllBytes(ServeFixtures.Scenes[0]), query: "?" + query), HttpStatusCode.BadRequest, "bad-parameter");

        Assert.That(detail, Does.Contain(named));
        await AssertStillServesAsync(service);
    }

    [Test]
    public async Task ParametersInFormFieldsAreCheckedToo()
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(ServeFixtures.ZipPath));
        byte[] png = File.ReadAllBytes(ServeFixtures.Scenes[0]);

        string detail = await ServeJson.ProblemAsync(await ServeJson.PostFormAsync(service.Client, png, "s.png", ("iou", "7")), HttpStatusCode.BadRequest, "bad-parameter");
        Assert.That(detail, Does.Contain("iou must be in (0, 1]"));
        var twice = await service.Client.PostAsync("/v1/detect?conf=0.3", new MultipartFormDataContent { { new ByteArrayContent(png), "image", "s.png" }, { new StringContent("0.4"), "conf" } });
        Assert.That(await ServeJson.ProblemAsync(twice, HttpStatusCode.BadRequest, "bad-parameter"), Does.Contain("more than once"));
    }

    [Test]
    public async Task AFullQueueIsAProblemWithRetryAfterAndASlowUploadHoldsNoSlot()
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(ServeFixtures.ZipPath) with { MaxConcurrentDetections = 1, QueueLimit = 0 });
        byte[] png = File.ReadAllBytes(ServeFixtures.Scenes[0]);
        var slots = service.App.Services.GetRequiredService<DetectionSlots>();

        using (await slots.AcquireAsync(CancellationToken.None))
        {
            var refused = await ServeJson.PostRawAsync(service.Client, png);
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
            await ServeJson.ProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "overloaded");
        }

        // an upload that has sent half its body holds no slot: another request is answered meanwhile
        var slow = new HalfThenRestContent(png);
        var slowRequest = service.Client.PostAsync("/v1/detect", slow);
        await slow.HalfSent;
        await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(service.Client, png));
        slow.SendRest();
        await ServeJson.OkJsonAsync(await slowRequest);
    }

    [Test]
    public async Task HealthAlwaysAnswersAndReadinessFailsUntilTheModelIsLoaded()
    {
        using var gate = new ManualResetEventSlim();
        await using var service = await TestService.StartInMemoryAsync(
            TestService.Options(ServeFixtures.ZipPath),
            builder => builder.Services.AddSingleton<ModelLoader>((model, options) =>
            {
                gate.Wait(TimeSpan.FromMinutes(2));
                return ServedModel.Load(model, options);
            }),
            waitForModel: false);
        byte[] png = File.ReadAllBytes(ServeFixtures.Scenes[0]);

        var health = await service.Client.GetAsync("/healthz");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await health.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
        Assert.That((await service.Client.GetAsync("/readyz")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        var early = await ServeJson.PostRawAsync(service.Client, png);
        Assert.That(early.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        await ServeJson.ProblemAsync(early, HttpStatusCode.ServiceUnavailable, "not-ready");
        await ServeJson.ProblemAsync(await service.Client.GetAsync("/v1/model"), HttpStatusCode.ServiceUnavailable, "not-ready");

        gate.Set();
        await service.Model.InitialLoad;

        Assert.That((await service.Client.GetAsync("/readyz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await service.Client.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(service.Client, png));
    }

    [Test]
    public async Task PageAndItsFilesAreServedFromEmbeddedResources()
    {
        await using var service = await TestService.StartInMemoryAsync(TestService.Options(ServeFixtures.ZipPath));

        var page = await service.Client.GetAsync("/");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        string html = await page.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("<canvas id=\"pad\"").And.Contain("/page/app.js").And.Contain("/page/style.css").And.Contain("type=\"file\""));

        var script = await service.Client.GetAsync("/page/app.js");
        Assert.That(script.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
        Assert.That(await script.Content.ReadAsStringAsync(), Does.Contain("/v1/detect").And.Contain("pointerdown"));
        var style = await service.Client.GetAsync("/page/style.css");
        Assert.That(style.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/css"));

        Assert.That((await service.Client.GetAsync("/page/missing.js")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var notFound = await service.Client.GetAsync("/v2/nothing");
        Assert.That(notFound.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(notFound.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var wrongMethod = await service.Client.GetAsync("/v1/detect");
        Assert.That(wrongMethod.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(wrongMethod.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task ABrokenModelFailsTheFirstLoadWithAMessageNamingTheFile()
    {
        string folder = Tests.TestData.TinyScenes.NewTempDirectory("broken-model");
        string broken = Path.Combine(folder, "model.onnx");
        File.WriteAllText(broken, "this is not an ONNX model");
        var app = DigitService.Build(TestService.Options(broken), b => Microsoft.AspNetCore.TestHost.WebHostBuilderExtensions.UseTestServer(b.WebHost));

        var error = Assert.ThrowsAsync<InvalidDataException>(() => app.StartAndLoadAsync());

        Assert.That(error!.Message, Does.Contain(broken));
        await app.DisposeAsync();
    }

    internal static async Task AssertStillServesAsync(TestService service)
    {
        var answer = await ServeJson.OkJsonAsync(await ServeJson.PostRawAsync(service.Client, File.ReadAllBytes(ServeFixtures.Scenes[2])));
        Assert.That(answer.GetProperty("image").GetProperty("width").GetInt32(), Is.EqualTo(64));
    }

    /// <summary>An image body sent in two halves, the second only after <see cref="SendRest"/>.</summary>
    private sealed class HalfThenRestContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly TaskCompletionSource _halfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _rest = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HalfThenRestContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue("image/png");
        }

        public Task HalfSent => _halfSent.Task;

        public void SendRest() => _rest.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_bytes.AsMemory(0, _bytes.Length / 2));
            await stream.FlushAsync();
            _halfSent.TrySetResult();
            await _rest.Task;
            await stream.WriteAsync(_bytes.AsMemory(_bytes.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }

    /// <summary>A body of unknown length: HttpClient sends it chunked, without Content-Length.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
