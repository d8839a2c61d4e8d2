using Microsoft.AspNetCore.Http;

namespace DigitMl.Experiments.Serve;

/// <summary>
/// A request the service refuses, answered as an RFC 7807 problem (<c>application/problem+json</c>): a stable
/// <see cref="Type"/> URN per kind of problem, a short <see cref="Title"/>, the HTTP status and a detail sentence.
/// </summary>
public sealed class ServiceProblemException(int status, string kind, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    /// <summary>Short stable name of the problem, e.g. <c>not-an-image</c>.</summary>
    public string Kind { get; } = kind;

    public string Type => $"urn:digitml:problem:{Kind}";

    public string Title { get; } = title;

    public string Detail => Message;

    public IResult ToResult(HttpContext context) =>
        Results.Problem(detail: Detail, instance: context.Request.Path, statusCode: Status, title: Title, type: Type);

    public static ServiceProblemException EmptyBody() =>
        new(StatusCodes.Status400BadRequest, "empty-body", "Empty request body",
            "send the image as the request body (Content-Type image/png, image/jpeg, image/bmp or image/webp) or as a multipart/form-data part named 'image'");

    public static ServiceProblemException NoImagePart(string detail) =>
        new(StatusCodes.Status400BadRequest, "no-image-part", "No image in the form", detail);

    public static ServiceProblemException NotAnImage(string detail) =>
        new(StatusCodes.Status400BadRequest, "not-an-image", "Not an image", detail);

    public static ServiceProblemException CorruptImage(string detail) =>
        new(StatusCodes.Status400BadRequest, "corrupt-image", "Truncated or corrupt image", detail);

    public static ServiceProblemException BadParameter(string detail) =>
        new(StatusCodes.Status400BadRequest, "bad-parameter", "Invalid parameter", detail);

    public static ServiceProblemException BodyTooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Request body too large",
            $"the request body is larger than the limit of {limit} bytes ({limit / (1024.0 * 1024.0):0.#} MiB)");

    public static ServiceProblemException UnsupportedContentType(string? contentType) =>
        new(StatusCodes.Status415UnsupportedMediaType, "unsupported-content-type", "Unsupported content type",
            $"Content-Type '{contentType ?? "(none)"}' is not accepted; use image/png, image/jpeg, image/bmp, image/webp, application/octet-stream or multipart/form-data");

    public static ServiceProblemException TooManyPixels(int width, int height, long limit) =>
        new(StatusCodes.Status422UnprocessableEntity, "too-many-pixels", "Image too large",
            $"the image is {width}x{height} = {(long)width * height} pixels, above the limit of {limit} (refused from its header, before decoding)");

    public static ServiceProblemException NotReady() =>
        new(StatusCodes.Status503ServiceUnavailable, "not-ready", "Model not loaded yet", "the model is still loading; retry in a moment");

    public static ServiceProblemException Overloaded() =>
        new(StatusCodes.Status503ServiceUnavailable, "overloaded", "Too many requests waiting", "every detection slot and the waiting queue are full; retry in a moment");
}
