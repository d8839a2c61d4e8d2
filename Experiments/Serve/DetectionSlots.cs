using System.Threading.RateLimiting;

namespace DigitMl.Experiments.Serve;

/// <summary>
/// How many detections run at once (inference is CPU-bound: one per core by default); more requests wait in arrival
/// order, up to a queue limit, beyond which they are refused (503). Held only around the model call: a client that
/// uploads slowly does not keep a slot from the others.
/// </summary>
public sealed class DetectionSlots(ServeOptions options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.MaxConcurrentDetections,
        QueueLimit = options.QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>A slot, held until disposed; a <see cref="ServiceProblemException"/> (503) when the queue is full.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        var lease = await _limiter.AcquireAsync(1, cancellationToken);
        if (lease.IsAcquired) return lease;
        lease.Dispose();
        throw ServiceProblemException.Overloaded();
    }

    public void Dispose() => _limiter.Dispose();
}
