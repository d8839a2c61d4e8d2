using Microsoft.Extensions.Hosting;

namespace DigitMl.Experiments.Serve;

/// <summary>
/// Starts the first model load when the host starts (without waiting for it: the server answers, not ready, meanwhile)
/// and, with <see cref="ServeOptions.ReloadOnBestChange"/>, polls the best pointer and reloads when it changes.
/// Polling a one-line file every few seconds is cheap and, unlike file-system events, sees atomic renames and network
/// file systems alike.
/// </summary>
public sealed class ModelLoadingService(ModelHost host, ServeOptions options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        host.StartInitialLoad();
        if (!options.ReloadOnBestChange) return;
        try
        {
            await host.InitialLoad.WaitAsync(stoppingToken);
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested)
        {
            return; // nothing to follow: the start has failed and is reported by whoever started the service
        }

        using var timer = new PeriodicTimer(options.ReloadPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await Task.Run(host.ReloadIfPointerChanged, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
