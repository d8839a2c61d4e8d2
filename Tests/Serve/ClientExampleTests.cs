using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace DigitMl.Tests.Serve;

/// <summary>The C# client of README and docs/serving.md, run as written against the service on a loopback port.</summary>
public sealed class ClientExampleTests
{
    [Test]
    public async Task TheDocumentedClientCodeReadsTheAnswer()
    {
        await using var service = await TestService.StartOnLoopbackAsync(TestService.Options(ServeFixtures.ZipPath));
        string imagePath = ServeFixtures.Scenes[5];

        // --- as in docs/serving.md ---
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        using var body = new ByteArrayContent(await File.ReadAllBytesAsync(imagePath));
        body.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await http.PostAsync("/v1/detect?conf=0.1", body);
        response.EnsureSuccessStatusCode(); // a 4xx answer is application/problem+json: title and detail say why
        var result = await response.Content.ReadFromJsonAsync<DetectResult>();
        // ---

        Assert.That(result, Is.Not.Null);
        Assert.That(result!.Model, Is.EqualTo("v0001"));
        Assert.That(result.Detections, Is.Not.Empty);
        Assert.That(result.Detections.Select(d => d.Label), Is.All.Matches<string>(l => l.Length == 1 && char.IsDigit(l[0])));
        Assert.That(result.Detections.Select(d => d.Box.X1 - d.Box.X0), Is.All.GreaterThan(0));
        Assert.That(result.Text.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal), Has.Length.EqualTo(result.Detections.Count));
        Assert.That(result.TimeMs, Is.GreaterThan(0));
    }

    private sealed record DetectResult(string Model, string Text, List<Found> Detections, [property: JsonPropertyName("time_ms")] double TimeMs);

    private sealed record Found(string Label, float Score, Box Box);

    private sealed record Box(float X0, float Y0, float X1, float Y1);
}
