using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DigitMl.Experiments.Serve;

/// <summary>
/// <c>POST /v1/detect</c>: body (raw image or multipart) -> parameters -> header check (format, pixel limit) -> a
/// detection slot -> the served model -> detections, reading order and timing. Every refusal is a
/// <see cref="ServiceProblemException"/>. <c>time_ms</c> runs from the start of the handler to the answer.
/// </summary>
public static partial class DetectEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, ModelHost host, DetectionSlots slots, ServeOptions options, ILoggerFactory loggers)
    {
        long start = Stopwatch.GetTimestamp();
        var log = loggers.CreateLogger(RequestLog.Category);
        try
        {
            using var lease = host.Acquire() ?? throw ServiceProblemException.NotReady();
            var upload = await ImageUpload.ReadAsync(context.Request, options.MaxBodyBytes, context.RequestAborted);
            var parameters = ReadParameters(context.Request, upload);
            var header = ImageHeader.Read(upload.Bytes);
            if ((long)header.Width * header.Height > options.MaxImagePixels)
                throw ServiceProblemException.TooManyPixels(header.Width, header.Height, options.MaxImagePixels);

            var model = lease.Model;
            IReadOnlyList<DigitMl.Data.Detection> detections;
            try
            {
                using var slot = await slots.AcquireAsync(context.RequestAborted);
                detections = model.Detect(upload.Bytes, parameters);
            }
            catch (InvalidDataException e)
            {
                throw ServiceProblemException.CorruptImage($"the {header.Format.ToUpperInvariant()} image cannot be decoded: {WithoutPseudoPath(e.Message)}");
            }

            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var thresholds = new ThresholdInfo(
                parameters.Confidence ?? model.Thresholds.Confidence, parameters.IoU ?? model.Thresholds.IoU, parameters.MaxDetections ?? model.Thresholds.MaxDetections);
            if (log.IsEnabled(LogLevel.Information))
                log.LogInformation("POST /v1/detect 200 {Version} {Width}x{Height}: {Count} detections in {Milliseconds:0.0} ms",
                    model.Version, header.Width, header.Height, detections.Count, ms);
            var lines = ReadingOrder.Lines(detections);
            return Results.Json(new DetectResponse(
                model.Version,
                new ImageInfo(header.Width, header.Height, header.Format),
                detections.Select(DetectionInfo.From).ToList(),
                string.Join('\n', lines),
                lines,
                thresholds,
                Math.Round(ms, 2)));
        }
        catch (ServiceProblemException problem)
        {
            if (log.IsEnabled(LogLevel.Information))
                log.LogInformation("POST /v1/detect {Status} {Kind}: {Detail} ({Milliseconds:0.0} ms)",
                    problem.Status, problem.Kind, problem.Detail, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (problem.Status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "1";
            return problem.ToResult(context);
        }
    }

    private static DetectParameters ReadParameters(HttpRequest request, ImageUpload upload)
    {
        var pairs = request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? "")))
            .Concat(upload.Fields);
        try
        {
            return DetectParameterReader.Read(pairs);
        }
        catch (ParameterException e)
        {
            throw ServiceProblemException.BadParameter(e.Message);
        }
    }

    /// <summary>The detector names in-memory images by a pseudo path (memory://id/name): of no use to a client.</summary>
    private static string WithoutPseudoPath(string message) => PseudoPath().Replace(message, "");

    [GeneratedRegex(@"memory://\S+?: ")]
    private static partial Regex PseudoPath();
}

/// <summary>Logger categories of the service.</summary>
public static class RequestLog
{
    /// <summary>One line per request at Information; shown with `serve --log-requests`.</summary>
    public const string Category = "DigitMl.Serve.Requests";
}
