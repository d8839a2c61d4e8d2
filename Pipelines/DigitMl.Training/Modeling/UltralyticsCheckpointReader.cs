using System.Collections;
using System.Globalization;
using System.IO.Compression;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// Reads the weights out of a PyTorch <c>torch.save</c> file without Python: an Ultralytics checkpoint such as
/// <c>yolov8n.pt</c> (a dict whose <c>ema</c> or <c>model</c> entry is a whole pickled <c>DetectionModel</c>), a
/// pickled module, or a bare state dict. The file is a zip archive: <c>data.pkl</c> (the pickle) and one entry per
/// tensor storage. Razorvine.Pickle runs the pickle; classes it does not know (Ultralytics' and torch.nn's modules)
/// come back as <see cref="ClassDict"/>s holding the object's attributes, and this reader walks their
/// <c>_parameters</c>, <c>_buffers</c> and <c>_modules</c> the way <c>Module.state_dict()</c> does, which gives the
/// reference's state-dict names (<c>model.0.conv.weight</c>, ...). Tensors are rebuilt from their storages in
/// managed memory (offset, shape and strides as <c>torch._utils._rebuild_tensor_v2</c> has them). No code from
/// the file runs.
/// </summary>
/// <remarks>
/// TorchSharp.PyBridge's <c>PyTorchUnpickler</c> cannot read such a file: it refuses parameters of whole pickled
/// models ("contains the entire model and not just the state_dict") and fails on tensors that are not contiguous
/// ("Bytes() called on non-contiguous tensor"): Ultralytics' <c>Detect.anchors</c> and <c>Detect.strides</c> are
/// transposed views. Razorvine's constructor registry is process-wide; this reader registers its constructors
/// before every read, under a lock.
/// </remarks>
public static class UltralyticsCheckpointReader
{
    private static readonly Lock RegistryLock = new();

    private static readonly (string Module, string Name)[] OpaqueClasses =
    [
        ("numpy.core.multiarray", "scalar"), ("numpy.core.multiarray", "_reconstruct"), ("numpy", "dtype"), ("numpy", "ndarray"),
        ("numpy._core.multiarray", "scalar"), ("numpy._core.multiarray", "_reconstruct"),
        ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "PurePosixPath"), ("pathlib", "PureWindowsPath"),
        ("torch", "device"), ("argparse", "Namespace"), ("types", "SimpleNamespace"),
    ];

    private static void RegisterConstructors()
    {
        var tensor = new TensorConstructor();
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", tensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", tensor);
        var parameter = new ParameterConstructor();
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", parameter);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter_with_state", parameter);
        Unpickler.registerConstructor("collections", "OrderedDict", new DictConstructor());
        Unpickler.registerConstructor("collections", "defaultdict", new DictConstructor());
        Unpickler.registerConstructor("torch", "Size", new TupleConstructor());
        // objects with constructor arguments that checkpoints carry next to the weights (metrics may be numpy
        // scalars, paths PosixPath): kept as opaque values, never used
        foreach (var (module, name) in OpaqueClasses)
            Unpickler.registerConstructor(module, name, new OpaqueConstructor(module, name));
    }

    /// <summary>The two lines of Python that turn any Ultralytics checkpoint into a file <c>--init</c> reads.</summary>
    public const string ConversionHint =
        "convert it in Python: from ultralytics import YOLO; from safetensors.torch import save_file; " +
        "save_file(YOLO('yolov8n.pt').model.float().state_dict(), 'yolov8n.safetensors')";

    /// <summary>True when the bytes start like a zip archive, the container of every <c>torch.save</c> file since PyTorch 1.6.</summary>
    public static bool LooksLikeTorchSave(ReadOnlySpan<byte> prefix) =>
        prefix.Length >= 4 && prefix[0] == 0x50 && prefix[1] == 0x4b && prefix[2] == 0x03 && prefix[3] == 0x04;

    public static UltralyticsCheckpoint Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static UltralyticsCheckpoint Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        try
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var pickle = archive.Entries.FirstOrDefault(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))
                ?? throw Bad(sourceName, "the archive has no data.pkl (not written by torch.save?)");
            string prefix = pickle.FullName[..^"data.pkl".Length];
            object root;
            lock (RegistryLock)
            {
                RegisterConstructors();
                using var unpickler = new StorageUnpickler(archive, prefix, sourceName);
                using var data = pickle.Open();
                root = unpickler.load(data);
            }
            return FromRoot(root as Hashtable
                ?? throw Bad(sourceName, $"its top-level object is a {Describe(root)}, not a dict (an Ultralytics checkpoint) or a state dict"), sourceName);
        }
        catch (PickleException e)
        {
            throw Bad(sourceName, $"it holds a pickled object this reader cannot rebuild ({e.Message.Split(". ")[0]})");
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException && !e.Message.StartsWith(sourceName, StringComparison.Ordinal))
        {
            throw Bad(sourceName, $"the archive is damaged ({e.Message})");
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        ClassDict c => c.ClassName,
        _ => value.GetType().Name,
    };

    private static UltralyticsCheckpoint FromRoot(Hashtable root, string sourceName)
    {
        var weights = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
        if (root.Count > 0 && root.Values.Cast<object?>().All(v => v is PickledTensor))
        {
            foreach (DictionaryEntry entry in root)
            {
                string name = (string)entry.Key;
                weights[name] = ((PickledTensor)entry.Value!).ToStored(name);
            }
            return new UltralyticsCheckpoint(weights, null, "state dict", null, null);
        }

        string entryName = root["ema"] is ClassDict ? "ema" : "model";
        if (root[entryName] is not ClassDict model)
            throw Bad(sourceName, "it has no pickled model under 'ema' or 'model' (keys: " +
                string.Join(", ", root.Keys.Cast<object>().Select(k => k.ToString()).Order(StringComparer.Ordinal)) + ")");
        CollectStateDict(model, "", weights, sourceName);
        if (weights.Count == 0)
            throw Bad(sourceName, $"its '{entryName}' ({model.ClassName}) holds no parameters or buffers");
        string? version = root["version"] as string;
        return new UltralyticsCheckpoint(weights, ClassNames(model), entryName, model.ClassName, version);
    }

    /// <summary>What <c>Module.state_dict()</c> returns: parameters and persistent buffers, then each child's under its name.</summary>
    private static void CollectStateDict(ClassDict module, string prefix, Dictionary<string, StoredTensor> into, string sourceName)
    {
        foreach (var (name, value) in Entries(module, "_parameters"))
            if (value is PickledTensor tensor) into[prefix + name] = tensor.ToStored(prefix + name);

        var nonPersistent = module.TryGetValue("_non_persistent_buffers_set", out var set) && set is IEnumerable names
            ? names.Cast<object>().Select(n => n.ToString()).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var (name, value) in Entries(module, "_buffers"))
            if (value is PickledTensor tensor && !nonPersistent.Contains(name)) into[prefix + name] = tensor.ToStored(prefix + name);

        foreach (var (name, value) in Entries(module, "_modules"))
        {
            if (value is ClassDict child)
                CollectStateDict(child, prefix + name + ".", into, sourceName);
            else if (value is not null)
                throw Bad(sourceName, $"module '{prefix + name}' is a {value.GetType().Name}, not a pickled module");
        }
    }

    private static IEnumerable<(string Name, object? Value)> Entries(ClassDict module, string attribute) =>
        module.TryGetValue(attribute, out var value) && value is IDictionary entries
            ? entries.Cast<DictionaryEntry>().Select(e => ((string)e.Key, e.Value)).OrderBy(e => e.Item1, StringComparer.Ordinal)
            : [];

    /// <summary>DetectionModel.names: a dict of class index to name (a list in old checkpoints); null when absent.</summary>
    private static string[]? ClassNames(ClassDict model)
    {
        if (!model.TryGetValue("names", out var names)) return null;
        return names switch
        {
            IDictionary byIndex => byIndex.Cast<DictionaryEntry>()
                .OrderBy(e => Convert.ToInt64(e.Key, CultureInfo.InvariantCulture))
                .Select(e => e.Value?.ToString() ?? "").ToArray(),
            IEnumerable list and not string => list.Cast<object?>().Select(v => v?.ToString() ?? "").ToArray(),
            _ => null,
        };
    }

    private static InvalidDataException Bad(string sourceName, string problem) =>
        new($"{sourceName}: cannot read this PyTorch checkpoint: {problem}. To use it anyway, {ConversionHint}");

    /// <summary><c>torch._utils._rebuild_parameter(data, requires_grad, hooks)</c>: the parameter's tensor.</summary>
    private sealed class ParameterConstructor : IObjectConstructor
    {
        public object construct(object[] args) => args[0];
    }

    /// <summary><c>torch.Size((1, 2, 3))</c>: the tuple.</summary>
    private sealed class TupleConstructor : IObjectConstructor
    {
        public object construct(object[] args) => args.Length == 1 && args[0] is object[] items ? items : args;
    }

    /// <summary>OrderedDict and defaultdict: a dict that takes its items from SETITEMS and ignores BUILD (an OrderedDict's _metadata).</summary>
    private sealed class DictConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new PickledDict();
    }

    /// <summary><c>_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])</c>.</summary>
    private sealed class TensorConstructor : IObjectConstructor
    {
        public object construct(object[] args)
        {
            if (args.Length < 4 || args[0] is not PickledStorage storage || args[2] is not object[] size || args[3] is not object[] stride)
                throw new PickleException("unexpected arguments to torch._utils._rebuild_tensor_v2");
            return new PickledTensor(storage, Convert.ToInt64(args[1], CultureInfo.InvariantCulture),
                size.Select(d => Convert.ToInt64(d, CultureInfo.InvariantCulture)).ToArray(),
                stride.Select(d => Convert.ToInt64(d, CultureInfo.InvariantCulture)).ToArray());
        }
    }

    /// <summary>Resolves torch.save's persistent ids ('storage', storage type, key, location, size) to the archive's data entries.</summary>
    private sealed class StorageUnpickler(ZipArchive archive, string prefix, string sourceName) : Unpickler
    {
        private readonly Dictionary<string, PickledStorage> _storages = new(StringComparer.Ordinal);

        protected override object persistentLoad(object pid)
        {
            if (pid is not object[] { Length: >= 5 } id || id[0] as string != "storage" || id[1] is not ClassDictConstructor type || id[2] is not string key)
                throw Bad(sourceName, "it has a persistent id that is not a torch storage");
            if (_storages.TryGetValue(key, out var known)) return known;
            var dtype = StorageType(type.name, sourceName);
            var entry = archive.GetEntry(prefix + "data/" + key) ?? throw Bad(sourceName, $"storage {key} is missing from the archive");
            var bytes = new byte[entry.Length];
            using (var data = entry.Open()) data.ReadExactly(bytes);
            long elements = Convert.ToInt64(id[4], CultureInfo.InvariantCulture);
            if (bytes.LongLength != elements * StoredTensor.ElementSize(dtype))
                throw Bad(sourceName, $"storage {key} has {bytes.LongLength} bytes, {elements} x {type.name} elements need {elements * StoredTensor.ElementSize(dtype)}");
            var storage = new PickledStorage(key, dtype, bytes);
            _storages[key] = storage;
            return storage;
        }

        private static ScalarType StorageType(string name, string sourceName) => name switch
        {
            "HalfStorage" => ScalarType.Float16,
            "FloatStorage" => ScalarType.Float32,
            "DoubleStorage" => ScalarType.Float64,
            "BFloat16Storage" => ScalarType.BFloat16,
            "LongStorage" => ScalarType.Int64,
            "IntStorage" => ScalarType.Int32,
            "ShortStorage" => ScalarType.Int16,
            "CharStorage" => ScalarType.Int8,
            "ByteStorage" => ScalarType.Byte,
            "BoolStorage" => ScalarType.Bool,
            _ => throw Bad(sourceName, $"it has a tensor storage of type {name}"),
        };
    }

    private sealed class OpaqueConstructor(string module, string name) : IObjectConstructor
    {
        public object construct(object[] args) => new OpaqueObject($"{module}.{name}", args);
    }
}

/// <summary>A dict read from a pickle (OrderedDict, defaultdict): items by SETITEMS; BUILD state is ignored.</summary>
internal sealed class PickledDict : Hashtable
{
#pragma warning disable IDE1006, CA1707 // the name is the pickle protocol's
    public void __setstate__(object state)
    {
    }
#pragma warning restore IDE1006, CA1707
}

/// <summary>One storage of a torch.save archive: element type and raw little-endian bytes.</summary>
internal sealed record PickledStorage(string Key, ScalarType DType, byte[] Data);

/// <summary>A tensor as the pickle describes it: a view (offset, shape, strides in elements) of a storage.</summary>
internal sealed class PickledTensor(PickledStorage storage, long offset, long[] shape, long[] stride)
{
    /// <summary>The tensor's values in row-major order (a copy; strided views are gathered element by element).</summary>
    public StoredTensor ToStored(string name)
    {
        int size = StoredTensor.ElementSize(storage.DType);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var data = new byte[count * size];
        long[] contiguous = new long[shape.Length];
        for (int d = shape.Length - 1, step = 1; d >= 0; step *= (int)shape[d], d--) contiguous[d] = step;
        bool isContiguous = shape.Zip(stride, contiguous).All(t => t.First == 1 || t.Second == t.Third);
        if (count > 0)
        {
            long last = offset + shape.Zip(stride).Sum(t => (t.First - 1) * t.Second);
            if (offset < 0 || (last + 1) * size > storage.Data.LongLength)
                throw new InvalidDataException($"tensor '{name}' {StoredTensor.FormatShape(shape)} reaches past its storage {storage.Key}");
        }
        if (isContiguous)
        {
            Array.Copy(storage.Data, offset * size, data, 0, data.LongLength);
        }
        else
        {
            var index = new long[shape.Length];
            for (long i = 0; i < count; i++)
            {
                long source = offset;
                for (int d = 0; d < shape.Length; d++) source += index[d] * stride[d];
                Array.Copy(storage.Data, source * size, data, i * size, size);
                for (int d = shape.Length - 1; d >= 0 && ++index[d] == shape[d]; d--) index[d] = 0;
            }
        }
        return new StoredTensor(name, storage.DType, shape, data);
    }
}

/// <summary>A pickled object kept as its class name, arguments and state (never interpreted).</summary>
internal sealed class OpaqueObject(string className, object[] arguments)
{
    public string ClassName { get; } = className;

    public object[] Arguments { get; } = arguments;

    public object? State { get; private set; }

    // called by Razorvine for the BUILD opcode
#pragma warning disable IDE1006, CA1707 // the name is the pickle protocol's
    public void __setstate__(object state) => State = state;
#pragma warning restore IDE1006, CA1707

    public override string ToString() => ClassName;
}

/// <summary>What <see cref="UltralyticsCheckpointReader"/> read: the state dict by reference names and what the file says about it.</summary>
/// <param name="Entry">where the weights came from: "ema", "model" or "state dict".</param>
public sealed record UltralyticsCheckpoint(
    IReadOnlyDictionary<string, StoredTensor> Weights,
    IReadOnlyList<string>? Names,
    string Entry,
    string? ModelClass,
    string? UltralyticsVersion);
