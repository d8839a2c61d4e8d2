using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DigitMl.Experiments.Serve;

/// <summary>Readiness (<c>GET /readyz</c>): unhealthy (503) until the model is loaded.</summary>
public sealed class ModelReadyCheck(ModelHost host) : IHealthCheck
{
    public const string Tag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(host.Current is { } model
            ? HealthCheckResult.Healthy($"model {model.Version} loaded")
            : HealthCheckResult.Unhealthy("model not loaded yet"));
}
