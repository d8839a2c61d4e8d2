namespace DigitMl.Scoring;

/// <summary>
/// The network behind a <see cref="DetectionEngine"/>: runs a batch of inputs <c>[batch, 3, height, width]</c> and returns
/// <c>output0</c> (and <c>turns</c> for turn-aware models). <see cref="YoloOnnxSession"/> is the one scoring uses;
/// the seam lets tests check views, merging and coordinates against a network whose answers are known.
/// Implementations must be thread-safe.
/// </summary>
public interface IDetectionNetwork
{
    OnnxModelInfo Info { get; }

    /// <summary>Where the model came from, for error messages.</summary>
    string Source { get; }

    NetworkOutputs Run(Memory<float> input, int batch, int height, int width);
}

/// <summary>The outputs of one run, valid until disposed: <c>output0</c> [batch, 4+nc, anchors] and <c>turns</c> [batch, 4*nc, anchors] (empty for plain models).</summary>
public abstract class NetworkOutputs : IDisposable
{
    public abstract ReadOnlySpan<float> Output0 { get; }

    public abstract ReadOnlySpan<float> Turns { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>Outputs held in arrays.</summary>
public sealed class ArrayNetworkOutputs(float[] output0, float[]? turns = null) : NetworkOutputs
{
    public override ReadOnlySpan<float> Output0 => output0;

    public override ReadOnlySpan<float> Turns => turns;
}
