using System.Text.Json;
using DigitMl.Data;
using DigitMl.Tests.TestData;
using Microsoft.Playwright;
using SkiaSharp;

namespace DigitMl.Tests.Serve;

/// <summary>
/// The page in a real browser (Playwright driving Debian's headless Chromium) against the service on a loopback port
/// with the tiny trained model: a stroke drawn with the mouse and an uploaded scene each come back with boxes drawn
/// (the DOM lists what the service answered, the screenshot has the box colour), and a non-image upload shows the
/// service's error.
/// </summary>
public sealed class PageBrowserTests
{
    [Test]
    [CancelAfter(300_000)]
    public async Task ADrawnStrokeAndAnUploadedSceneComeBackBoxedAndANonImageShowsTheError(CancellationToken cancellationToken)
    {
        string chromium = Chromium.EnsureInstalled();
        await using var service = await TestService.StartOnLoopbackAsync(TestService.Options(ServeFixtures.ZipPath));
        string profile = TinyScenes.NewTempDirectory("chromium-profile");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = Chromium.Flags,
            ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
        });
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        var scriptErrors = new List<string>();
        page.PageError += (_, error) => scriptErrors.Add(error);

        await page.GotoAsync(service.BaseAddress.ToString());
        Assert.That(await page.TitleAsync(), Does.Contain("DigitMl"));
        await page.WaitForFunctionAsync("() => document.getElementById('model').dataset.version === 'v0001'");
        // the tiny model is trained for seconds, not to read handwriting: let it show its weaker guesses too
        await page.EvalOnSelectorAsync("#conf", "e => { e.value = '0.02'; e.dispatchEvent(new Event('input')); }");

        // 1. a stroke drawn with the mouse on the canvas (pointer events), sent as a raw PNG body
        var stroke = page.WaitForResponseAsync(r => r.Url.Contains("/v1/detect", StringComparison.Ordinal));
        var pad = (await page.Locator("#pad").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(pad.X + 180, pad.Y + 60);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(pad.X + 280, pad.Y + 60, new MouseMoveOptions { Steps = 8 });
        await page.Mouse.MoveAsync(pad.X + 210, pad.Y + 200, new MouseMoveOptions { Steps = 12 });
        await page.Mouse.UpAsync();
        var drawn = await AnswerAsync(await stroke);
        Assert.That((await stroke).Request.Headers["content-type"], Is.EqualTo("image/png"));
        Assert.That(drawn.Image, Is.EqualTo((480, 240)), "the whole drawing pad was sent");
        Assert.That(InkPixels(await page.Locator("#pad").ScreenshotAsync()), Is.GreaterThan(500), "the stroke is on the pad");
        await AssertBoxesShownAsync(page, drawn, "drawn stroke");

        // 2. a generated scene chosen with the file input, sent as multipart/form-data
        string scene = ServeFixtures.Scenes.First(s => File.ReadAllBytes(s).Length > 0);
        Assert.That(BoxColouredPixels(File.ReadAllBytes(scene)), Is.Zero, "sanity: the scene itself has no box-coloured pixel");
        var upload = page.WaitForResponseAsync(r => r.Url.Contains("/v1/detect", StringComparison.Ordinal));
        await page.SetInputFilesAsync("#file", scene);
        var uploaded = await AnswerAsync(await upload);
        Assert.That((await upload).Request.Headers["content-type"], Does.StartWith("multipart/form-data"));
        Assert.That(uploaded.Image, Is.EqualTo((64, 64)));
        await AssertBoxesShownAsync(page, uploaded, "uploaded scene");

        // 3. a text file: the service's problem is shown, nothing stale stays on the page
        string notes = Path.Combine(profile, "notes.txt");
        await File.WriteAllTextAsync(notes, "not a picture", cancellationToken);
        var refused = page.WaitForResponseAsync(r => r.Url.Contains("/v1/detect", StringComparison.Ordinal));
        await page.SetInputFilesAsync("#file", notes);
        Assert.That((await refused).Status, Is.EqualTo(400));
        await page.WaitForFunctionAsync("() => document.getElementById('result-box').dataset.state === 'error'");
        Assert.That(await page.Locator("#error").IsVisibleAsync(), Is.True);
        Assert.That(await page.Locator("#error").TextContentAsync(), Does.Contain("Not an image").And.Contain("not a PNG, JPEG, BMP or WebP"));
        Assert.That(await page.Locator("#detections li").CountAsync(), Is.Zero);

        Assert.That(scriptErrors, Is.Empty, "no script error on the page");
    }

    private sealed record Answer(int Count, string Text, (int Width, int Height) Image);

    private static async Task<Answer> AnswerAsync(IResponse response)
    {
        Assert.That(response.Status, Is.EqualTo(200), await response.TextAsync());
        using var json = JsonDocument.Parse(await response.TextAsync());
        var root = json.RootElement;
        return new Answer(root.GetProperty("detections").GetArrayLength(), root.GetProperty("text").GetString()!,
            (root.GetProperty("image").GetProperty("width").GetInt32(), root.GetProperty("image").GetProperty("height").GetInt32()));
    }

    private static async Task AssertBoxesShownAsync(IPage page, Answer answer, string what)
    {
        await page.WaitForFunctionAsync("() => document.getElementById('result-box').dataset.state === 'done'");
        Assert.That(answer.Count, Is.GreaterThan(0), $"{what}: the service found something to box");
        Assert.That(await page.Locator("#detections li").CountAsync(), Is.EqualTo(answer.Count), $"{what}: one list entry per detection");
        Assert.That(await page.Locator("#result-box").GetAttributeAsync("data-count"), Is.EqualTo(answer.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(await page.Locator("#reading").TextContentAsync(), Is.EqualTo(answer.Text.Length > 0 ? answer.Text : "(no digits found)"));
        Assert.That(await page.Locator("#latency").TextContentAsync(), Does.Match(@"server [\d.]+ ms · round trip [\d.]+ ms"));
        Assert.That(await page.Locator("#error").IsHiddenAsync(), Is.True);
        int boxPixels = BoxColouredPixels(await page.Locator("#result").ScreenshotAsync());
        Assert.That(boxPixels, Is.GreaterThan(200), $"{what}: boxes and labels are drawn over the image ({boxPixels} box-coloured pixels)");
    }

    /// <summary>Pixels of the page's box colour (#00e5ff, a cyan neither the pen nor the scenes' paper and inks have).</summary>
    private static int BoxColouredPixels(byte[] png) => CountPixels(png, c => c.Red < 100 && c.Green > 170 && c.Blue > 170);

    private static int InkPixels(byte[] png) => CountPixels(png, c => c.Red < 80 && c.Green < 80 && c.Blue < 80);

    private static int CountPixels(byte[] png, Func<SKColor, bool> predicate)
    {
        using var bitmap = SKBitmap.Decode(png);
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
                if (predicate(bitmap.GetPixel(x, y))) count++;
        return count;
    }
}
