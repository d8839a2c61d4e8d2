using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace DigitMl.Experiments.Serve;

/// <summary>
/// The image bytes of one request and the text fields sent with it. The body is either the image itself (raw, any
/// image content type or application/octet-stream) or multipart/form-data with the image in a part named
/// <c>image</c> (or the only file part) and optional text fields (<c>conf</c>, <c>iou</c>, ...).
/// </summary>
public sealed record ImageUpload(byte[] Bytes, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public const string ImagePartName = "image";

    private static readonly string[] RawContentTypes =
        ["image/png", "image/jpeg", "image/jpg", "image/pjpeg", "image/bmp", "image/x-ms-bmp", "image/webp", "application/octet-stream"];

    /// <summary>Reads the request body (at most <paramref name="maxBodyBytes"/>); a <see cref="ServiceProblemException"/> for any body the service cannot use.</summary>
    public static async Task<ImageUpload> ReadAsync(HttpRequest request, long maxBodyBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? contentType = request.ContentType;
        MediaTypeHeaderValue? mediaType = null;
        if (!string.IsNullOrWhiteSpace(contentType) && !MediaTypeHeaderValue.TryParse(contentType, out mediaType))
            throw ServiceProblemException.UnsupportedContentType(contentType);
        string media = mediaType?.MediaType.Value?.ToLowerInvariant() ?? "application/octet-stream";
        bool multipart = media == "multipart/form-data";
        if (!multipart && !RawContentTypes.Contains(media))
            throw ServiceProblemException.UnsupportedContentType(contentType);
        if (request.ContentLength > maxBodyBytes)
            throw ServiceProblemException.BodyTooLarge(maxBodyBytes);

        byte[] body = await ReadBodyAsync(request.Body, maxBodyBytes, cancellationToken);
        if (body.Length == 0) throw ServiceProblemException.EmptyBody();
        if (!multipart) return new ImageUpload(body, []);

        string? boundary = HeaderUtilities.RemoveQuotes(mediaType!.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary))
            throw ServiceProblemException.NoImagePart("multipart/form-data without a boundary parameter in Content-Type");
        return await ReadMultipartAsync(body, boundary, cancellationToken);
    }

    private static async Task<byte[]> ReadBodyAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit) throw ServiceProblemException.BodyTooLarge(limit);
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ServiceProblemException.BodyTooLarge(limit); // Kestrel's own body limit, set to the same value
        }

        return buffer.ToArray();
    }

    private static async Task<ImageUpload> ReadMultipartAsync(byte[] body, string boundary, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>>();
        var files = new List<(string Name, byte[] Bytes)>();
        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false));
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    continue;
                string name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                using var content = new MemoryStream();
                await section.Body.CopyToAsync(content, cancellationToken);
                if (disposition.IsFileDisposition() || name == ImagePartName)
                    files.Add((name, content.ToArray()));
                else
                    fields.Add(new(name, System.Text.Encoding.UTF8.GetString(content.ToArray())));
            }
        }
        catch (IOException e)
        {
            throw ServiceProblemException.NoImagePart($"malformed multipart/form-data body ({e.Message})");
        }
        catch (InvalidDataException e)
        {
            throw ServiceProblemException.NoImagePart($"malformed multipart/form-data body ({e.Message})");
        }

        var image = files.Where(f => f.Name == ImagePartName).ToList() is { Count: > 0 } named ? named
            : files.Count == 1 ? files : [];
        if (image.Count != 1)
            throw ServiceProblemException.NoImagePart(files.Count == 0
                ? $"the multipart body has no file part; send the image in a part named '{ImagePartName}'"
                : $"the multipart body has {image.Count} parts named '{ImagePartName}' and {files.Count} file parts; send exactly one image");
        if (image[0].Bytes.Length == 0)
            throw new ServiceProblemException(StatusCodes.Status400BadRequest, "empty-body", "Empty image part", $"the part '{image[0].Name}' holds no bytes");
        return new ImageUpload(image[0].Bytes, fields);
    }
}
