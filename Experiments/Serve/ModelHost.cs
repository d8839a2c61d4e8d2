using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace DigitMl.Experiments.Serve;

/// <summary>Loads a model file into a <see cref="ServedModel"/>; a seam so tests can hold a load back or make it fail.</summary>
public delegate ServedModel ModelLoader(ResolvedModel model, ServeOptions options);

/// <summary>
/// The one model of the process: loaded in the background when the service starts (readiness fails until then),
/// replaced when the best pointer names another version, disposed when the service stops. Requests hold a
/// <see cref="ModelLease"/>, so a replaced model finishes its requests before it is disposed.
/// </summary>
public sealed class ModelHost(ServeOptions options, ModelLoader loader, ILogger<ModelHost> logger) : IDisposable
{
    private readonly TaskCompletionSource _initialLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _reloadLock = new();
    private ServedModel? _current;
    private string? _loadedPointer;
    private string? _failedPointer;
    private int _started;
    private bool _disposed;

    /// <summary>Completes when the first model is loaded; faults (with a message naming the file) when it cannot be.</summary>
    public Task InitialLoad => _initialLoad.Task;

    public bool IsReady => Volatile.Read(ref _current) is not null;

    /// <summary>The model now served, or null before the first load.</summary>
    public ServedModel? Current => Volatile.Read(ref _current);

    /// <summary>Starts the first load on a pool thread (once); the service answers meanwhile, not ready.</summary>
    public void StartInitialLoad()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return;
        _ = Task.Run(() =>
        {
            try
            {
                string? pointer = options.Model.ReadPointer();
                var model = LoadTimed(options.Model.Resolve(), "loaded");
                lock (_reloadLock) _loadedPointer = pointer;
                Swap(model);
                _initialLoad.SetResult();
            }
            catch (Exception e)
            {
                // not logged here: the caller (the serve command) reports it as its one error line
                _initialLoad.SetException(e);
            }
        });
    }

    /// <summary>The current model, held until the lease is disposed; null while none is loaded.</summary>
    public ModelLease? Acquire()
    {
        while (true)
        {
            var model = Volatile.Read(ref _current);
            if (model is null) return null;
            if (model.TryAddReference()) return new ModelLease(model);
            // it was replaced and released between the read and the add: read the new one
        }
    }

    /// <summary>
    /// Loads the version the best pointer names when it differs from the served one. A version that fails to load is
    /// logged once and skipped; the service goes on with the model it has. Returns whether a new model was swapped in.
    /// </summary>
    public bool ReloadIfPointerChanged()
    {
        lock (_reloadLock)
        {
            if (_disposed || !IsReady) return false;
            string? pointer = options.Model.ReadPointer();
            if (pointer is null || pointer == _loadedPointer || pointer == _failedPointer) return false;
            try
            {
                var model = LoadTimed(options.Model.Resolve(), "reloaded");
                _loadedPointer = pointer;
                _failedPointer = null;
                Swap(model);
                return true;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                _failedPointer = pointer;
                logger.LogError("best pointer {Pointer} names '{Name}', which cannot be served; still serving {Version}: {Reason}",
                    options.Model.BestPointer, pointer, Current?.Version, e.Message);
                return false;
            }
        }
    }

    public void Dispose()
    {
        lock (_reloadLock)
        {
            _disposed = true;
            Interlocked.Exchange(ref _current, null)?.Release();
        }
    }

    private ServedModel LoadTimed(ResolvedModel resolved, string verb)
    {
        var timer = Stopwatch.StartNew();
        var model = loader(resolved, options);
        if (logger.IsEnabled(LogLevel.Information))
            logger.LogInformation("{Verb} model {Version} ({File}: {Classes} classes, {ImageSize} px) in {Seconds:0.00} s",
                verb, model.Version, resolved.File, model.Names.Count, model.ImageSize, timer.Elapsed.TotalSeconds);
        return model;
    }

    private void Swap(ServedModel next)
    {
        if (_disposed)
        {
            next.Release();
            return;
        }

        Interlocked.Exchange(ref _current, next)?.Release();
    }
}

/// <summary>A request's hold on the served model: the model stays loaded until this is disposed.</summary>
public sealed class ModelLease(ServedModel model) : IDisposable
{
    private int _released;

    public ServedModel Model { get; } = model;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) Model.Release();
    }
}
