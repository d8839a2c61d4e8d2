using Microsoft.AspNetCore.Http;

namespace DigitMl.Experiments.Serve;

/// <summary><c>GET /v1/model</c>: what is served (version, classes, input size, thresholds, limits, parameters, the artifact's metrics).</summary>
public static class ModelEndpoint
{
    public static IResult Handle(HttpContext context, ModelHost host, ServeOptions options)
    {
        using var lease = host.Acquire();
        if (lease is null)
        {
            context.Response.Headers.RetryAfter = "1";
            return ServiceProblemException.NotReady().ToResult(context);
        }

        var m = lease.Model;
        return Results.Json(new ModelInfo(
            m.Version,
            m.Model.Experiment,
            Path.GetFileName(m.Model.File),
            m.Format,
            m.Names,
            m.ImageSize,
            new ThresholdInfo(m.Thresholds.Confidence, m.Thresholds.IoU, m.Thresholds.MaxDetections),
            options.MaxImagePixels,
            options.MaxBodyBytes,
            ImageHeader.Formats,
            DetectParameterReader.Parameters.Select(p => new ParameterInfo(p.Name, p.Accepts)).ToList(),
            m.Metrics,
            m.LoadedAt));
    }
}
