using System.Text.Json;
using DigitMl.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Training;

/// <summary>
/// Checkpoint files (<c>last.ckpt</c>, <c>best.ckpt</c>): a JSON header (names, scale, image size, epoch, trainer
/// state), the model's state dict, the EMA state dict (the weights that were validated and that inference uses),
/// the optimizer state and the torch RNG state. Tensors are stored by state-dict name as dtype, shape and raw
/// bytes, so other tools (weight transfer) can read them without building a model. Written to a temporary file
/// and renamed, so an interrupted write never leaves a half checkpoint behind.
/// </summary>
public static class Checkpoint
{
    private const string Magic = "DigitMl.YoloV8.Checkpoint";
    // 2: the optimizer section holds DetectorOptimizer state (version 1 held TorchSharp's optim state dict)
    private const int Version = 2;
    private const int OldestReadableVersion = 1;

    // a best fitness of -Infinity (nothing validated yet) or a NaN loss in the history is written as a named literal
    // ("-Infinity", "NaN") and read back as the same number, instead of failing the checkpoint write
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The model with the checkpoint's inference weights (EMA when present), in eval mode.</summary>
    public static (YoloV8Model Model, CheckpointInfo Info) Load(string path)
    {
        using var data = Read(path);
        var model = new YoloV8Model(data.Info.Scale, data.Info.NumClasses, data.Info.RegMax, data.Info.Orientations, data.Info.ImageSize);
        LoadStateDict(model, data.Ema ?? data.Model, path);
        model.eval();
        return (model, data.Info);
    }

    /// <summary>The inference weights by state-dict name (EMA when present). The caller disposes the tensors.</summary>
    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        var data = Read(path);
        var weights = data.Ema ?? data.Model;
        var other = ReferenceEquals(weights, data.Ema) ? data.Model : data.Ema;
        if (other is not null) foreach (var t in other.Values) t.Dispose();
        return weights;
    }

    /// <summary>True when the file starts like a DigitMl checkpoint.</summary>
    public static bool IsCheckpoint(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            return reader.ReadString() == Magic;
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The inference weights as stored tensors, for <see cref="WeightTransfer.LoadInto(YoloV8Model, IReadOnlyDictionary{string, StoredTensor}, string)"/>.</summary>
    public static Dictionary<string, StoredTensor> ReadStoredWeights(string path)
    {
        var tensors = ReadStateDict(path);
        try
        {
            return tensors.ToDictionary(kv => kv.Key, kv => new StoredTensor(kv.Key, kv.Value.dtype, kv.Value.shape, kv.Value.bytes.ToArray()));
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    public static CheckpointInfo ReadInfo(string path)
    {
        using var stream = OpenRead(path);
        using var reader = new BinaryReader(stream);
        var (info, _, _) = ReadHeader(reader, path);
        return info;
    }

    internal static CheckpointData Read(string path)
    {
        using var stream = OpenRead(path);
        using var reader = new BinaryReader(stream);
        try
        {
            var (info, state, version) = ReadHeader(reader, path);
            var model = ReadTensors(reader);
            var ema = reader.ReadBoolean() ? ReadTensors(reader) : null;
            var optimizer = reader.ReadBytes(reader.ReadInt32());
            var rng = reader.ReadBytes(reader.ReadInt32());
            return new CheckpointData(info, state, model, ema, optimizer, rng) { Version = version };
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: checkpoint is truncated", e);
        }
    }

    internal static void Save(string path, YoloV8Model model, YoloV8Model? ema, Optimization.DetectorOptimizer? optimizer, CheckpointInfo info, TrainerState? state)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        using (var stream = File.Create(temp))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(JsonSerializer.Serialize(new Header(HeaderInfo.From(info), state), Json));
            WriteTensors(writer, model);
            writer.Write(ema is not null);
            if (ema is not null) WriteTensors(writer, ema);
            var optimizerBytes = Array.Empty<byte>();
            if (optimizer is not null)
            {
                using var buffer = new MemoryStream();
                using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.Save(w);
                optimizerBytes = buffer.ToArray();
            }
            writer.Write(optimizerBytes.Length);
            writer.Write(optimizerBytes);
            using var rng = torch.get_rng_state();
            var rngBytes = rng.bytes.ToArray();
            writer.Write(rngBytes.Length);
            writer.Write(rngBytes);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Copies tensors into the model's state dict by name; every model entry must be present with the same shape.</summary>
    internal static void LoadStateDict(nn.Module model, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        using var noGrad = no_grad();
        foreach (var (name, target) in model.state_dict())
        {
            if (!tensors.TryGetValue(name, out var value))
                throw new InvalidDataException($"{source}: no tensor '{name}' in checkpoint");
            if (!value.shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"{source}: tensor '{name}' has shape [{string.Join(",", value.shape)}], model expects [{string.Join(",", target.shape)}]");
            target.copy_(value);
        }
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read checkpoint ({e.Message})", e);
        }
    }

    private static (CheckpointInfo Info, TrainerState? State, int Version) ReadHeader(BinaryReader reader, string path)
    {
        string magic;
        try
        {
            magic = reader.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"{path}: not a DigitMl checkpoint", e);
        }
        if (magic != Magic) throw new InvalidDataException($"{path}: not a DigitMl checkpoint");
        int version = reader.ReadInt32();
        if (version < OldestReadableVersion || version > Version)
            throw new InvalidDataException($"{path}: checkpoint version {version} is not supported (this DigitMl reads {OldestReadableVersion} to {Version})");
        var header = JsonSerializer.Deserialize<Header>(reader.ReadString(), Json)
            ?? throw new InvalidDataException($"{path}: empty checkpoint header");
        return (header.Info.ToInfo(), header.State, version);
    }

    private static void WriteTensors(BinaryWriter writer, nn.Module module)
    {
        var entries = module.state_dict();
        writer.Write(entries.Count);
        foreach (var (name, tensor) in entries)
        {
            // every intermediate held: outside a dispose scope an unheld temporary may be finalised while libtorch
            // copies it (measured: a SIGSEGV in THSTensor_cpu, once in about 30 bench runs, docs/training.md)
            using var detached = tensor.detach();
            using var onCpu = detached.cpu();
            using var cpu = onCpu.contiguous();
            writer.Write(name);
            writer.Write((int)cpu.dtype);
            writer.Write(cpu.shape.Length);
            foreach (var d in cpu.shape) writer.Write(d);
            var bytes = cpu.bytes;
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }
    }

    private static Dictionary<string, Tensor> ReadTensors(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        var result = new Dictionary<string, Tensor>(count);
        for (int i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var dtype = (ScalarType)reader.ReadInt32();
            var shape = new long[reader.ReadInt32()];
            for (int d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
            var bytes = reader.ReadBytes(reader.ReadInt32());
            var tensor = empty(shape, dtype);
            tensor.bytes = bytes;
            result[name] = tensor;
        }
        return result;
    }

    private sealed record Header(HeaderInfo Info, TrainerState? State);

    /// <summary>JSON shape of <see cref="CheckpointInfo"/> (the scale as its four numbers).</summary>
    private sealed record HeaderInfo(string[] Names, string ScaleName, double Depth, double Width, int MaxChannels, int ImageSize, int Epoch, int RegMax, double? Fitness, DateTime CreatedUtc, int? Orientations = null)
    {
        public static HeaderInfo From(CheckpointInfo i) => new([.. i.Names], i.Scale.Name, i.Scale.Depth, i.Scale.Width, i.Scale.MaxChannels, i.ImageSize, i.Epoch, i.RegMax,
            double.IsFinite(i.Fitness) ? i.Fitness : null, i.CreatedUtc, i.Orientations);

        public CheckpointInfo ToInfo() => new()
        {
            Names = Names,
            Scale = new YoloV8Scale(ScaleName, Depth, Width, MaxChannels),
            ImageSize = ImageSize,
            Epoch = Epoch,
            RegMax = RegMax,
            Fitness = Fitness ?? double.NaN,
            CreatedUtc = CreatedUtc,
            Orientations = Orientations ?? 1,
        };
    }
}

/// <summary>Everything read from a checkpoint file.</summary>
internal sealed record CheckpointData(CheckpointInfo Info, TrainerState? State, Dictionary<string, Tensor> Model, Dictionary<string, Tensor>? Ema, byte[] Optimizer, byte[] RngState) : IDisposable
{
    /// <summary>Format version of the file (its optimizer state can only be resumed from the current version).</summary>
    public int Version { get; init; }

    /// <summary>True when the optimizer section can be read by this DigitMl.</summary>
    public bool HasCurrentOptimizerFormat => Version >= 2;

    public void Dispose()
    {
        foreach (var t in Model.Values) t.Dispose();
        if (Ema is not null) foreach (var t in Ema.Values) t.Dispose();
    }
}
