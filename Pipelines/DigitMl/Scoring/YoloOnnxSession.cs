using Microsoft.ML.OnnxRuntime;

namespace DigitMl.Scoring;

/// <summary>
/// An ONNX Runtime session of a YOLOv8 detector with the session options scoring uses, and what its metadata says
/// (<see cref="OnnxModelInfo"/>). Thread-safe: ONNX Runtime sessions run concurrently.
/// </summary>
public sealed class YoloOnnxSession : IDetectionNetwork, IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames = [ScoringColumns.OnnxInput];
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions = new();

    private YoloOnnxSession(InferenceSession session, string source)
    {
        _session = session;
        Source = source;
        Info = OnnxModelInfo.Read(session, source);
        _outputNames = Info.IsTurnAware ? [ScoringColumns.OnnxOutput, OnnxModelInfo.TurnsOutput] : [ScoringColumns.OnnxOutput];
    }

    public OnnxModelInfo Info { get; }

    /// <summary>The model file (or a description of where the bytes came from).</summary>
    public string Source { get; }

    /// <summary>
    /// Session options set on purpose: intra-op threads = the cores this process may use (the affinity mask and cgroup
    /// quota, as <see cref="Environment.ProcessorCount"/> reports them) or the given count, no inter-op parallelism
    /// (YOLOv8 is one chain of operators), every graph optimisation (Conv+SiLU fusion, constant folding), the CPU memory
    /// arena and memory-pattern planning on (repeated runs at one shape reuse their buffers), no spinning of idle pool
    /// threads (on a machine shared with training or a second service, spinning threads take the cores the others
    /// need: measured, batch 16 then cost more per image than batch 1), and denormals flushed to zero (tiny
    /// activations after SiLU otherwise hit the slow floating-point path; results change by under 1e-37).
    /// </summary>
    public static SessionOptions CreateSessionOptions(int? intraOpThreads = null)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads ?? Environment.ProcessorCount,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            EnableCpuMemArena = true,
            EnableMemoryPattern = true,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        options.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
        return options;
    }

    public static YoloOnnxSession Open(string onnxPath, int? intraOpThreads = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        if (!File.Exists(onnxPath))
            throw new FileNotFoundException($"{onnxPath}: ONNX model not found", onnxPath);
        using var options = CreateSessionOptions(intraOpThreads);
        return Wrap(Create(() => new InferenceSession(onnxPath, options), onnxPath), onnxPath);
    }

    public static YoloOnnxSession Open(byte[] model, string source, int? intraOpThreads = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var options = CreateSessionOptions(intraOpThreads);
        return Wrap(Create(() => new InferenceSession(model, options), source), source);
    }

    /// <summary>
    /// Runs a batch of inputs <c>[batch, 3, height, width]</c> held in <paramref name="input"/>; the outputs are
    /// <c>output0</c> and, for turn-aware models, <c>turns</c>. Dispose the result when done reading.
    /// </summary>
    public NetworkOutputs Run(Memory<float> input, int batch, int height, int width)
    {
        if (input.Length != (long)batch * 3 * height * width)
            throw new ArgumentException($"input holds {input.Length} floats, not {batch} x 3 x {height} x {width}", nameof(input));
        using var tensor = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, [batch, 3, height, width]);
        return new OrtOutputs(_session.Run(_runOptions, _inputNames, [tensor], _outputNames));
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>Reads ONNX Runtime's output buffers in place (no copy) until disposed.</summary>
    private sealed class OrtOutputs(IDisposableReadOnlyCollection<OrtValue> values) : NetworkOutputs
    {
        public override ReadOnlySpan<float> Output0 => values[0].GetTensorDataAsSpan<float>();

        public override ReadOnlySpan<float> Turns => values.Count > 1 ? values[1].GetTensorDataAsSpan<float>() : default;

        protected override void Dispose(bool disposing)
        {
            if (disposing) values.Dispose();
            base.Dispose(disposing);
        }
    }

    private static YoloOnnxSession Wrap(InferenceSession session, string source)
    {
        try
        {
            return new YoloOnnxSession(session, source);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static InferenceSession Create(Func<InferenceSession> open, string source)
    {
        try
        {
            return open();
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{source}: not a loadable ONNX model ({e.Message.Split('\n')[0]})", e);
        }
    }
}
