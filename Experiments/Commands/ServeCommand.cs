using System.ComponentModel;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Serve;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>
/// `serve`: the model as an HTTP service (POST /v1/detect, GET /v1/model, /healthz, /readyz) with a web page at /.
/// Runs on the serving library alone: nothing on this path loads TorchSharp (checked by a test on the live process).
/// </summary>
public sealed class ServeCommand : AsyncCommand<ServeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <PATH>")]
        [Description("Artifact folder, model.zip or model.onnx. Default: the version named by artifacts/<experiment>/best.")]
        public string? Model { get; init; }

        [CommandOption("--urls <URLS>")]
        [Description("Addresses to listen on, separated by ';'; port 0 picks a free one.")]
        [DefaultValue("http://localhost:5000")]
        public string Urls { get; init; } = "http://localhost:5000";

        [CommandOption("--experiment <NAME>")]
        [Description("Experiment whose best version is served when --model is not given.")]
        [DefaultValue("digits")]
        public string Experiment { get; init; } = "digits";

        [CommandOption("--artifacts <DIR>")]
        [Description("Artifact store holding the experiments (default artifacts/ of the repository).")]
        public string? Artifacts { get; init; }

        [CommandOption("--reload")]
        [Description("Follow the best pointer: serve the new version whenever it changes (default model only).")]
        public bool Reload { get; init; }

        [CommandOption("--reload-interval <SECONDS>")]
        [Description("Seconds between checks of the best pointer with --reload.")]
        [DefaultValue(2.0)]
        public double ReloadInterval { get; init; } = 2.0;

        [CommandOption("--max-body-mb <MIB>")]
        [Description("Largest request body in MiB.")]
        [DefaultValue(20.0)]
        public double MaxBodyMiB { get; init; } = 20.0;

        [CommandOption("--max-pixels <N>")]
        [Description("Largest image in pixels, checked from the header before decoding.")]
        [DefaultValue(50_000_000L)]
        public long MaxPixels { get; init; } = 50_000_000L;

        [CommandOption("--concurrency <N>")]
        [Description("Detections running at once; more requests queue (default: one per core).")]
        public int? Concurrency { get; init; }

        [CommandOption("--log-requests")]
        [Description("Log one line per request (method, status, detections, latency).")]
        public bool LogRequests { get; init; }

        public override Spectre.Console.ValidationResult Validate()
        {
            if (Reload && Model is not null) return Spectre.Console.ValidationResult.Error("--reload follows the best pointer: it cannot be used with --model");
            if (ReloadInterval <= 0) return Spectre.Console.ValidationResult.Error("--reload-interval must be positive");
            if (MaxBodyMiB <= 0) return Spectre.Console.ValidationResult.Error("--max-body-mb must be positive");
            if (MaxPixels <= 0) return Spectre.Console.ValidationResult.Error("--max-pixels must be positive");
            if (Concurrency is <= 0) return Spectre.Console.ValidationResult.Error("--concurrency must be positive");
            if (Concurrency > 4 * Environment.ProcessorCount)
                return Spectre.Console.ValidationResult.Error($"--concurrency can be at most {4 * Environment.ProcessorCount} (4 per core: the detector's engine pool)");
            return string.IsNullOrWhiteSpace(Urls) ? Spectre.Console.ValidationResult.Error("--urls must not be empty") : Spectre.Console.ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var source = settings.Model is { } model
            ? ModelSource.FromPath(model)
            : ModelSource.FromBestPointer(settings.Artifacts is { } dir ? Path.GetFullPath(dir) : RepositoryLayout.ArtifactsDir, settings.Experiment);
        _ = source.Resolve(); // a missing model is one error line before anything starts
        var options = new ServeOptions
        {
            Model = source,
            ReloadOnBestChange = settings.Reload,
            ReloadPollInterval = TimeSpan.FromSeconds(settings.ReloadInterval),
            MaxBodyBytes = (long)(settings.MaxBodyMiB * 1024 * 1024),
            MaxImagePixels = settings.MaxPixels,
            MaxConcurrentDetections = settings.Concurrency ?? Environment.ProcessorCount,
        };

        await using var app = DigitService.Build(options, builder =>
        {
            builder.WebHost.UseUrls(settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            // "Hosting failed to start" comes with a stack trace; the command reports the failure as its one error line
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
            builder.Logging.AddFilter("DigitMl", LogLevel.Information);
            builder.Logging.AddFilter(RequestLog.Category, settings.LogRequests ? LogLevel.Information : LogLevel.Warning);
        });

        await app.StartAsync(cancellationToken);
        Console.WriteLine($"serve: loading {source}");
        try
        {
            await app.ModelHost().InitialLoad.WaitAsync(cancellationToken);
        }
        catch (Exception e)
        {
            await app.StopAsync(CancellationToken.None);
            return ErrorReporter.Report(e);
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.WriteLine($"serve: model {app.ModelHost().Current?.Version} ready at {string.Join(", ", addresses)} (Ctrl+C to stop)");
        await app.WaitForShutdownAsync(cancellationToken);
        Console.WriteLine("serve: stopped");
        return 0;
    }
}
