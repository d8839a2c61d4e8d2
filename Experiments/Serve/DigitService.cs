using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DigitMl.Experiments.Serve;

/// <summary>
/// The detection service as an ASP.NET Core minimal-API application:
/// <c>POST /v1/detect</c>, <c>GET /v1/model</c>, <c>GET /healthz</c> (alive), <c>GET /readyz</c> (model loaded) and the
/// page at <c>GET /</c>. It runs on the serving library alone (DigitMl.Scoring); nothing here touches training code,
/// and a test reads the memory map of a running `serve` process to check that no TorchSharp library is loaded.
/// </summary>
public static class DigitService
{
    /// <summary>
    /// Builds the application. <paramref name="configure"/> runs last before Build: the CLI sets URLs and logging
    /// there, tests put in the test server or replace the <see cref="ModelLoader"/>.
    /// </summary>
    public static WebApplication Build(ServeOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(DigitService).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ModelLoader>(ServedModel.Load);
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddHostedService<ModelLoadingService>();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks().AddCheck<ModelReadyCheck>("model", tags: [ModelReadyCheck.Tag]);
        builder.Services.AddSingleton<DetectionSlots>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            kestrel.AddServerHeader = false;
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapPost("/v1/detect", DetectEndpoint.HandleAsync).DisableAntiforgery();
        app.MapGet("/v1/model", ModelEndpoint.Handle);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ModelReadyCheck.Tag) });
        WebPage.Map(app);
        return app;
    }

    /// <summary>The model host of a built application (to wait for the first load, or to check readiness).</summary>
    public static ModelHost ModelHost(this WebApplication app) => app.Services.GetRequiredService<ModelHost>();

    /// <summary>Starts the application and waits for the first model load; throws the load's error (the server is stopped then).</summary>
    public static async Task StartAndLoadAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync(cancellationToken);
        try
        {
            await app.ModelHost().InitialLoad.WaitAsync(cancellationToken);
        }
        catch
        {
            await app.StopAsync(CancellationToken.None);
            throw;
        }
    }
}
