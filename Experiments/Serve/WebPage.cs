using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DigitMl.Experiments.Serve;

/// <summary>
/// The page at <c>GET /</c>: plain HTML, CSS and JavaScript embedded in this assembly (Serve/Page/*), no build step.
/// </summary>
public static class WebPage
{
    private const string ResourcePrefix = "DigitMl.Experiments.Serve.Page.";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
    };

    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> Files = new(LoadFiles);

    /// <summary>The embedded file names (index.html, app.js, style.css).</summary>
    public static IReadOnlyCollection<string> Names => Files.Value.Keys.ToList();

    public static void Map(WebApplication app)
    {
        app.MapGet("/", (HttpContext context) => Serve(context, "index.html"));
        app.MapGet("/page/{name}", (HttpContext context, string name) => Serve(context, name));
    }

    private static IResult Serve(HttpContext context, string name)
    {
        if (!Files.Value.TryGetValue(name, out var bytes))
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"no page file '{name}'", instance: context.Request.Path);
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(bytes, ContentTypes[Path.GetExtension(name)]);
    }

    private static IReadOnlyDictionary<string, byte[]> LoadFiles()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            string name = resource[ResourcePrefix.Length..];
            if (!ContentTypes.ContainsKey(Path.GetExtension(name))) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name] = copy.ToArray();
        }

        return files;
    }
}
