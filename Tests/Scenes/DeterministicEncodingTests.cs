using System.IO.Compression;
using DigitMl.Data;
using DigitMl.Data.Mnist;
using DigitMl.Data.Scenes;

namespace DigitMl.Tests.Scenes;

public sealed class DeterministicEncodingTests
{
    private static IEnumerable<TestCaseData> Inputs()
    {
        var random = new Random(42);
        var noise = new byte[100_000];
        random.NextBytes(noise);
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 4000).Select(i => $"line {i % 97} of digits {i * 31 % 1000};\n")));
        var mixed = new byte[150_000];
        for (int i = 0; i < mixed.Length; i++) mixed[i] = (byte)(i % 5000 < 2500 ? 0 : random.Next(4));
        yield return new TestCaseData(Array.Empty<byte>()).SetName("empty");
        yield return new TestCaseData(new byte[] { 7 }).SetName("one byte");
        yield return new TestCaseData(new byte[70_000]).SetName("long zero run");
        yield return new TestCaseData(noise).SetName("incompressible noise, several blocks");
        yield return new TestCaseData(text).SetName("text with far repeats");
        yield return new TestCaseData(mixed).SetName("runs and small values");
    }

    [TestCaseSource(nameof(Inputs))]
    public void DeflateAndZlibStreamsInflateToTheInput(byte[] data)
    {
        using (var inflate = new DeflateStream(new MemoryStream(DeterministicDeflate.Compress(data, DeterministicDeflate.DefaultLevel)), CompressionMode.Decompress))
        using (var raw = new MemoryStream())
        {
            inflate.CopyTo(raw);
            Assert.That(raw.ToArray(), Is.EqualTo(data));
        }
        using var zlib = new ZLibStream(new MemoryStream(DeterministicDeflate.CompressZlib(data, DeterministicDeflate.FastLevel)), CompressionMode.Decompress);
        using var output = new MemoryStream();
        zlib.CopyTo(output);
        Assert.That(output.ToArray(), Is.EqualTo(data));
        Assert.That(DeterministicGzip.Decompress(new MemoryStream(DeterministicGzip.Compress(data))), Is.EqualTo(data));
    }

    [Test]
    public void RepetitiveDataCompresses()
    {
        Assert.That(DeterministicDeflate.Compress(new byte[70_000], DeterministicDeflate.FastLevel), Has.Length.LessThan(1000));
    }

    [Test]
    public void PngDecodesToThePixelsAndDependsOnlyOnThem()
    {
        var image = new RgbImage(37, 23);
        var random = new Random(5);
        random.NextBytes(image.Pixels);
        for (int i = 0; i < 300; i++) image.Pixels[i] = 200;

        var png = ScenePng.Encode(image);
        var decoded = ImageDecoder.Decode(png);

        Assert.Multiple(() =>
        {
            Assert.That((decoded.Width, decoded.Height), Is.EqualTo((37, 23)));
            Assert.That(decoded.Pixels, Is.EqualTo(image.Pixels));
            Assert.That(ScenePng.Encode(new RgbImage(37, 23, (byte[])image.Pixels.Clone())), Is.EqualTo(png));
        });
    }
}
