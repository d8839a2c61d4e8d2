using System.Buffers.Binary;
using System.Text;
using DigitMl.Modeling;
using static TorchSharp.torch;

namespace DigitMl.Tests.Modeling;

public sealed class WeightTransferTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "digitml-weights-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    /// <summary>A tiny model whose every state entry differs from a fresh model's (running stats and counters too).</summary>
    private static YoloV8Model PerturbedModel(int nc, int seed)
    {
        manual_seed(seed);
        var model = new YoloV8Model(YoloV8Scale.Tiny, nc);
        using var guard = no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (tensor.dtype == ScalarType.Int64)
                tensor.fill_(7);
            else
                tensor.add_(rand_like(tensor) + 0.1);
        }
        return model;
    }

    private static bool SameValues(Tensor a, Tensor b, double tolerance = 0) =>
        a.dtype == ScalarType.Int64 ? a.eq(b).all().item<bool>() : a.allclose(b, rtol: 0, atol: tolerance);

    [Test]
    public void CheckpointFromTenClassesLoadsIntoThreeClassesExceptTheClassOutputs()
    {
        string path = Path.Combine(_dir, "source.bin");
        using (var source = PerturbedModel(10, 1))
            source.save(path);

        using var expected = PerturbedModel(10, 1);
        manual_seed(2);
        using var target = new YoloV8Model(YoloV8Scale.Tiny, 3);
        var report = WeightTransfer.LoadInto(target, path);

        string[] classOutputs = Enumerable.Range(0, 3).SelectMany(l => new[] { $"model.22.cv3.{l}.2.weight", $"model.22.cv3.{l}.2.bias" }).ToArray();
        var names = target.state_dict().Keys.ToList();
        Assert.That(report.Skipped.Select(s => s.Name), Is.EquivalentTo(classOutputs));
        Assert.That(report.Reinitialised, Is.EquivalentTo(classOutputs));
        Assert.That(report.Loaded, Is.EquivalentTo(names.Except(classOutputs)));
        Assert.That(report.Missing, Is.Empty);
        Assert.That(report.Unexpected, Is.Empty);
        Assert.That(report.Skipped.Single(s => s.Name == "model.22.cv3.0.2.weight").FileShape, Is.EqualTo(new long[] { 10, 16, 1, 1 }));

        var sourceState = expected.state_dict();
        foreach (var (name, tensor) in target.state_dict())
        {
            if (classOutputs.Contains(name))
                Assert.That(SameValues(tensor, sourceState[name].narrow(0, 0, 3)), Is.False, name);
            else
                Assert.That(SameValues(tensor, sourceState[name]), Is.True, name);
        }
        for (int level = 0; level < 3; level++)
        {
            float prior = (float)Math.Log(5.0 / 3 / Math.Pow(640.0 / target.Strides[level], 2));
            Assert.That(target.Head.ClassOutput(level).bias!.data<float>().ToArray(), Is.All.EqualTo(prior).Within(1e-6f));
        }
    }

    [Test]
    public void SafetensorsWithReferenceNamesRoundTrip()
    {
        using var source = PerturbedModel(10, 3);
        var state = source.state_dict();
        var entries = state
            .Where(kv => kv.Key != "model.0.bn.num_batches_tracked")
            .Select(kv => (kv.Key, kv.Value, kv.Key switch
            {
                "model.0.conv.weight" => "F16",
                "model.1.conv.weight" => "BF16",
                _ => kv.Value.dtype == ScalarType.Int64 ? "I64" : "F32",
            }))
            .Append(("model.23.extra.weight", ones(2, 2), "F32"))
            .ToList();
        string path = Path.Combine(_dir, "reference.safetensors");
        File.WriteAllBytes(path, WriteSafetensors(entries));

        manual_seed(4);
        using var target = new YoloV8Model(YoloV8Scale.Tiny, 10);
        var report = WeightTransfer.LoadInto(target, path);

        Assert.That(report.Missing, Is.EqualTo(new[] { "model.0.bn.num_batches_tracked" }));
        Assert.That(report.Unexpected, Is.EqualTo(new[] { "model.23.extra.weight" }));
        Assert.That(report.Skipped, Is.Empty);
        Assert.That(report.Loaded, Has.Count.EqualTo(state.Count - 1));
        foreach (var (name, tensor) in target.state_dict())
        {
            if (name == "model.0.bn.num_batches_tracked")
                Assert.That(tensor.item<long>(), Is.EqualTo(0));
            else if (name == "model.0.conv.weight")
                Assert.That(SameValues(tensor, state[name], 2e-3), Is.True, name);
            else if (name == "model.1.conv.weight")
                Assert.That(SameValues(tensor, state[name], 2e-2), Is.True, name);
            else
                Assert.That(SameValues(tensor, state[name]), Is.True, name);
        }
        Assert.That(target.state_dict()["model.1.conv.weight"].eq(state["model.1.conv.weight"]).all().item<bool>(), Is.False,
            "BF16 keeps 8 mantissa bits, so the copy cannot be exact");
    }

    [Test]
    public void TruncatedSafetensorsIsRejectedNamingTheFile()
    {
        using var source = new YoloV8Model(YoloV8Scale.Tiny, 2);
        var entries = source.state_dict().Select(kv => (kv.Key, kv.Value, kv.Value.dtype == ScalarType.Int64 ? "I64" : "F32")).ToList();
        byte[] bytes = WriteSafetensors(entries);
        string path = Path.Combine(_dir, "cut.safetensors");
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        using var target = new YoloV8Model(YoloV8Scale.Tiny, 2);
        Assert.That(() => WeightTransfer.LoadInto(target, path),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains(path).And.Message.Contains("data_offsets"));
    }

    [Test]
    public void AFileWithoutYoloNamesIsRejected()
    {
        string path = Path.Combine(_dir, "other.bin");
        using (var other = TorchSharp.torch.nn.Linear(3, 2))
            other.save(path);
        using var target = new YoloV8Model(YoloV8Scale.Tiny, 2);
        Assert.That(() => WeightTransfer.LoadInto(target, path),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("none of its 2 tensors"));
    }

    [Test]
    public void StateDictReaderReadsWhatTorchSharpWrites()
    {
        string path = Path.Combine(_dir, "linear.bin");
        using var linear = TorchSharp.torch.nn.Linear(3, 2);
        linear.save(path);
        var read = TorchSharpStateDictReader.Read(path);
        Assert.That(read.Keys, Is.EquivalentTo(new[] { "weight", "bias" }));
        Assert.That(read["weight"].Shape, Is.EqualTo(new long[] { 2, 3 }));
        using var weight = read["weight"].ToTensor();
        Assert.That(weight.eq(linear.weight!).all().item<bool>(), Is.True);
    }

    [Test]
    public void StateDictReaderReadsAStateDictEmbeddedInALargerStream()
    {
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 2);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("header");
            model.save(writer);
            writer.Write("trailer");
        }
        stream.Position = 0;
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        Assert.That(reader.ReadString(), Is.EqualTo("header"));
        var weights = TorchSharpStateDictReader.Read(stream, "embedded");
        Assert.That(reader.ReadString(), Is.EqualTo("trailer"));
        using var target = new YoloV8Model(YoloV8Scale.Tiny, 2);
        var report = WeightTransfer.LoadInto(target, weights, "embedded");
        Assert.That(report.Loaded, Has.Count.EqualTo(model.state_dict().Count));
    }

    /// <summary>Minimal safetensors writer (header JSON padded to 8 bytes, tensors back to back).</summary>
    private static byte[] WriteSafetensors(IEnumerable<(string Name, Tensor Tensor, string DType)> entries)
    {
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        using var data = new MemoryStream();
        foreach (var (name, tensor, dtype) in entries)
        {
            var scalar = dtype switch { "F16" => ScalarType.Float16, "BF16" => ScalarType.BFloat16, "I64" => ScalarType.Int64, _ => ScalarType.Float32 };
            using var converted = tensor.detach().to(scalar).contiguous();
            long begin = data.Position;
            data.Write(converted.bytes);
            header.Append($",\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", tensor.shape)}],\"data_offsets\":[{begin},{data.Position}]}}");
        }
        header.Append('}');
        while ((header.Length + 8) % 8 != 0)
            header.Append(' ');
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        var file = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerBytes.Length);
        headerBytes.CopyTo(file, 8);
        data.ToArray().CopyTo(file, 8 + headerBytes.Length);
        return file;
    }
}
