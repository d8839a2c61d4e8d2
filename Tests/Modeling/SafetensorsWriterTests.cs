using System.Buffers.Binary;
using DigitMl.Modeling;
using static TorchSharp.torch;

namespace DigitMl.Tests.Modeling;

public sealed class SafetensorsWriterTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "digitml-safetensors-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private static List<StoredTensor> ModelTensors(int seed, ScalarType? dtype = null)
    {
        manual_seed(seed);
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 3);
        return model.state_dict().Select(kv => StoredTensor.From(kv.Key, kv.Value, kv.Value.is_floating_point() ? dtype : null)).ToList();
    }

    [Test]
    public void WhatItWritesOurReaderAndTorchSharpPyBridgeReadBackExactly()
    {
        var tensors = ModelTensors(1, ScalarType.Float16);
        string path = Path.Combine(_dir, "w.safetensors");
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["names"] = "[\"a\",\"b\",\"c\"]" });

        var ours = SafetensorsReader.Read(path);
        Assert.That(ours.Keys, Is.EquivalentTo(tensors.Select(t => t.Name)));
        foreach (var t in tensors)
        {
            Assert.That(ours[t.Name].DType, Is.EqualTo(t.DType), t.Name);
            Assert.That(ours[t.Name].Shape, Is.EqualTo(t.Shape), t.Name);
            Assert.That(ours[t.Name].Data, Is.EqualTo(t.Data), t.Name);
        }
        Assert.That(SafetensorsReader.ReadMetadata(path), Is.EquivalentTo(new Dictionary<string, string> { ["format"] = "pt", ["names"] = "[\"a\",\"b\",\"c\"]" }));

        // an independent reader: TorchSharp.PyBridge's
        var theirs = TorchSharp.PyBridge.Safetensors.LoadStateDict(path);
        try
        {
            Assert.That(theirs.Keys, Is.EquivalentTo(tensors.Select(t => t.Name)));
            foreach (var t in tensors)
            {
                Assert.That(theirs[t.Name].dtype, Is.EqualTo(t.DType), t.Name);
                Assert.That(theirs[t.Name].bytes.ToArray(), Is.EqualTo(t.Data), t.Name);
            }
        }
        finally
        {
            foreach (var t in theirs.Values) t.Dispose();
        }
    }

    [Test]
    public void TheSameTensorsGiveTheSameBytesInAnyOrderWithAnAlignedHeader()
    {
        var tensors = ModelTensors(2);
        byte[] forward = SafetensorsWriter.ToBytes(tensors, new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });
        byte[] backward = SafetensorsWriter.ToBytes(Enumerable.Reverse(tensors), new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        Assert.That(backward, Is.EqualTo(forward));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(forward) % 8, Is.Zero, "the data starts 8-byte aligned");
        Assert.That(forward, Is.Not.EqualTo(SafetensorsWriter.ToBytes(ModelTensors(3))));
    }

    [Test]
    public void WritingASmallerFileOverALargerOneLeavesOnlyTheNewFile()
    {
        string path = Path.Combine(_dir, "w.safetensors");
        var large = ModelTensors(4);
        SafetensorsWriter.Write(path, large);
        var small = large.Take(3).ToList();
        SafetensorsWriter.Write(path, small);
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(SafetensorsWriter.ToBytes(small)));
        Assert.That(SafetensorsReader.Read(path).Keys, Is.EquivalentTo(small.Select(t => t.Name)));
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public void Fp16ConversionRefusesValuesItCannotHoldNamingTheTensor()
    {
        using var big = tensor(new float[] { 1, 70000 });
        Assert.That(() => StoredTensor.From("model.9.bn.running_var", big, ScalarType.Float16),
            Throws.InstanceOf<OverflowException>().With.Message.Contains("model.9.bn.running_var").And.Message.Contains("70000"));
        using var fine = tensor(new float[] { 1, 60000 });
        Assert.That(StoredTensor.From("x", fine, ScalarType.Float16).DType, Is.EqualTo(ScalarType.Float16));
    }

    [Test]
    public void ATensorWhoseBytesDoNotMatchItsShapeIsRefused()
    {
        var wrong = new StoredTensor("w", ScalarType.Float32, [2, 2], new byte[12]);
        Assert.That(() => SafetensorsWriter.ToBytes([wrong]), Throws.ArgumentException.With.Message.Contains("'w'").And.Message.Contains("16 bytes"));
    }
}
