using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DigitMl.Data;

namespace DigitMl.Tests.Serve;

/// <summary>Requests to the service and readers of its answers, shared by the service tests.</summary>
internal static class ServeJson
{
    public static async Task<HttpResponseMessage> PostRawAsync(HttpClient client, byte[] body, string? contentType = "image/png", string query = "")
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await client.PostAsync("/v1/detect" + query, content);
    }

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, byte[] image, string fileName = "scene.png", params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "image", fileName);
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return await client.PostAsync("/v1/detect", form);
    }

    public static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Checks an RFC 7807 answer: status, problem+json, type URN of <paramref name="kind"/>, a detail; returns the detail.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string kind)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.That(root.GetProperty("type").GetString(), Is.EqualTo($"urn:digitml:problem:{kind}"), body);
        Assert.That(root.GetProperty("status").GetInt32(), Is.EqualTo((int)status));
        Assert.That(root.GetProperty("title").GetString(), Is.Not.Empty);
        string detail = root.GetProperty("detail").GetString()!;
        Assert.That(detail, Is.Not.Empty);
        Assert.That(body, Does.Not.Contain("   at "), "no stack trace");
        return detail;
    }

    /// <summary>The detections of an answer as the library's records (floats round-trip exactly through JSON).</summary>
    public static IReadOnlyList<Detection> Detections(JsonElement answer) =>
        answer.GetProperty("detections").EnumerateArray().Select(d =>
        {
            var box = d.GetProperty("box");
            return new Detection(
                d.GetProperty("class_id").GetInt32(), d.GetProperty("label").GetString()!, d.GetProperty("score").GetSingle(),
                new BoundingBox(box.GetProperty("x0").GetSingle(), box.GetProperty("y0").GetSingle(), box.GetProperty("x1").GetSingle(), box.GetProperty("y1").GetSingle()));
        }).ToList();
}
