using System.Diagnostics;

namespace DigitMl.Training;

/// <summary>The phases of one training step, in the order they run.</summary>
public enum StepPhase
{
    /// <summary>
    /// Getting the batch: waiting for a background worker to deliver it, or building it on the training thread where no
    /// worker runs (on 2 cores: <c>TrainingLoop.LoaderWorkers</c>).
    /// </summary>
    DataWait,

    /// <summary>Host arrays to tensors: copy, cast to the compute dtype, memory layout.</summary>
    HostToTensor,

    /// <summary>The network's forward pass.</summary>
    Forward,

    /// <summary>The task-aligned assigner (inside the loss).</summary>
    Assigner,

    /// <summary>The loss without the assigner: decoding, BCE, CIoU, DFL, reading the values.</summary>
    Loss,

    /// <summary>Back-propagation.</summary>
    Backward,

    /// <summary>Gradient clipping, the optimizer step and zeroing (once per nominal batch).</summary>
    Optimizer,

    /// <summary>The EMA update (once per optimizer step).</summary>
    Ema,

    /// <summary>Running means, progress reports, the core-share check.</summary>
    Logging,
}

/// <summary>
/// Wall time of the training steps by <see cref="StepPhase"/>, summed over the batches measured. A phase is
/// timed with <see cref="Measure"/> (a <c>using</c> scope); Stopwatch timestamps cost tens of nanoseconds.
/// </summary>
public sealed class StepProfile
{
    private readonly long[] _ticks = new long[Enum.GetValues<StepPhase>().Length];

    /// <summary>Batches measured.</summary>
    public int Batches { get; private set; }

    /// <summary>Images in the batches measured.</summary>
    public long Images { get; private set; }

    public Scope Measure(StepPhase phase) => new(this, phase, Stopwatch.GetTimestamp());

    public void Add(StepPhase phase, long stopwatchTicks) => _ticks[(int)phase] += stopwatchTicks;

    public void CountBatch(int images)
    {
        Batches++;
        Images += images;
    }

    public double Seconds(StepPhase phase) => (double)_ticks[(int)phase] / Stopwatch.Frequency;

    /// <summary>Seconds of all phases together.</summary>
    public double TotalSeconds => (double)_ticks.Sum() / Stopwatch.Frequency;

    /// <summary>Each phase's share of <see cref="TotalSeconds"/> (0 when nothing was measured).</summary>
    public double Fraction(StepPhase phase) => TotalSeconds > 0 ? Seconds(phase) / TotalSeconds : 0;

    /// <summary>
    /// The share of the step time spent in the network's own work, forward, assigner, loss and backward (what the bare
    /// model's throughput measures): the trainer's efficiency against its model, measured within the same steps, so the
    /// machine's speed changes between two separate runs do not enter it.
    /// </summary>
    public double ModelShare => Fraction(StepPhase.Forward) + Fraction(StepPhase.Assigner) + Fraction(StepPhase.Loss) + Fraction(StepPhase.Backward);

    /// <summary>Milliseconds per batch of each phase.</summary>
    public double MillisecondsPerBatch(StepPhase phase) => Batches > 0 ? Seconds(phase) * 1000 / Batches : 0;

    /// <summary>Adds another profile's times (the epochs of a run).</summary>
    public void Add(StepProfile other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < _ticks.Length; i++) _ticks[i] += other._ticks[i];
        Batches += other.Batches;
        Images += other.Images;
    }

    /// <summary>snake_case name of a phase (bench JSON): data_wait, host_to_tensor, forward, ...</summary>
    public static string Key(StepPhase phase) => phase switch
    {
        StepPhase.DataWait => "data_wait",
        StepPhase.HostToTensor => "host_to_tensor",
        StepPhase.Forward => "forward",
        StepPhase.Assigner => "assigner",
        StepPhase.Loss => "loss",
        StepPhase.Backward => "backward",
        StepPhase.Optimizer => "optimizer",
        StepPhase.Ema => "ema",
        StepPhase.Logging => "logging",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };

    /// <summary>Times the phase from its creation to its disposal.</summary>
    public readonly struct Scope(StepProfile profile, StepPhase phase, long start) : IDisposable
    {
        public void Dispose() => profile.Add(phase, Stopwatch.GetTimestamp() - start);
    }
}
