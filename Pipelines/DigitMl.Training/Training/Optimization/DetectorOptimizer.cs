using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Training.Optimization;

/// <summary>
/// The optimizers the trainer uses, written against the native-lifetime rule (docs/training.md, "Native objects"):
/// every number that reaches libtorch travels as a <see cref="Scalar"/> held by a <c>using</c> until the call
/// returns. TorchSharp's own <c>optim.SGD</c> / <c>optim.AdamW</c> make implicit double-to-Scalar temporaries for
/// every parameter on every step. The update rules are PyTorch's (the reference trains with them).
/// </summary>
public abstract class DetectorOptimizer : IDisposable
{
    private readonly Dictionary<string, Tensor> _state = new(StringComparer.Ordinal);
    private bool _disposed;

    protected DetectorOptimizer(string name, IReadOnlyList<ParameterGroup> groups)
    {
        Name = name;
        Groups = groups;
    }

    /// <summary>"SGD", "Adam" or "AdamW".</summary>
    public string Name { get; }

    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>Optimizer steps taken (Adam's bias correction counts them).</summary>
    public long Steps { get; protected set; }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Steps++;
        using var noGrad = no_grad();
        for (int g = 0; g < Groups.Count; g++)
        {
            var group = Groups[g];
            for (int p = 0; p < group.Parameters.Count; p++)
            {
                var parameter = group.Parameters[p];
                using var grad = parameter.grad;
                if (grad is null) continue;
                using var scope = NewDisposeScope();
                Update(group, parameter, grad, $"{g}.{p}");
            }
        }
    }

    public void ZeroGrad()
    {
        foreach (var group in Groups)
        {
            foreach (var parameter in group.Parameters)
            {
                using var grad = parameter.grad;
                grad?.zero_().Dispose();
            }
        }
    }

    /// <summary>Updates one parameter in place; <paramref name="key"/> names its state buffers.</summary>
    protected abstract void Update(ParameterGroup group, Tensor parameter, Tensor grad, string key);

    /// <summary>The state buffer <paramref name="name"/> of parameter <paramref name="key"/>, made by <paramref name="create"/> the first time.</summary>
    protected Tensor State(string key, string name, Func<Tensor> create)
    {
        string id = $"{key}.{name}";
        if (!_state.TryGetValue(id, out var tensor))
        {
            tensor = create().DetachFromDisposeScope();
            _state[id] = tensor;
        }
        return tensor;
    }

    /// <summary>Writes the step count and every state buffer (for resume).</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Name);
        writer.Write(Steps);
        writer.Write(_state.Count);
        foreach (var (id, tensor) in _state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            // every intermediate held: outside a dispose scope an unheld temporary may be finalised while libtorch
            // copies it (measured: a SIGSEGV in THSTensor_cpu, once in about 30 bench runs, docs/training.md)
            using var detached = tensor.detach();
            using var onCpu = detached.cpu();
            using var cpu = onCpu.contiguous();
            writer.Write(id);
            writer.Write((int)cpu.dtype);
            writer.Write(cpu.shape.Length);
            foreach (long d in cpu.shape) writer.Write(d);
            var bytes = cpu.bytes;
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote; throws when it belongs to another optimizer or model.</summary>
    public void Load(BinaryReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string name = reader.ReadString();
        if (name != Name) throw new InvalidDataException($"{source}: optimizer state of {name}, this run uses {Name}");
        Steps = reader.ReadInt64();
        int count = reader.ReadInt32();
        var device = Groups.SelectMany(g => g.Parameters).First().device;
        foreach (var tensor in _state.Values) tensor.Dispose();
        _state.Clear();
        for (int i = 0; i < count; i++)
        {
            string id = reader.ReadString();
            var dtype = (ScalarType)reader.ReadInt32();
            var shape = new long[reader.ReadInt32()];
            for (int d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
            var bytes = reader.ReadBytes(reader.ReadInt32());
            using var cpu = empty(shape, dtype);
            cpu.bytes = bytes;
            _state[id] = cpu.to(device).DetachFromDisposeScope();
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var tensor in _state.Values) tensor.Dispose();
        _state.Clear();
        GC.SuppressFinalize(this);
    }
}
