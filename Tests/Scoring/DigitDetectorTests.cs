using DigitMl.Scoring;
using DigitMl.Tests.TestData;
using Microsoft.ML;

namespace DigitMl.Tests.Scoring;

public sealed class DigitDetectorTests
{
    private static readonly ScoringOptions Options = new() { Confidence = 0.3f, MaxDetections = 20 };

    [Test]
    public void PathBytesAndStreamGiveTheSameDetectionsFromOnnxAndZip()
    {
        using var fromOnnx = DigitDetector.Load(ScoringFixtures.OnnxPath, Options);
        string zip = SaveZip(Options);
        using var fromZip = DigitDetector.Load(zip);
        Assert.That(fromZip.Settings.Thresholds, Is.EqualTo(Options.Thresholds));

        foreach (string image in ScoringFixtures.Images)
        {
            var expected = fromOnnx.Detect(image);
            Assert.That(expected, Is.Not.Empty);
            Assert.That(fromOnnx.Detect(File.ReadAllBytes(image)), Is.EqualTo(expected));
            using (var stream = File.OpenRead(image))
                Assert.That(fromOnnx.Detect(stream), Is.EqualTo(expected));
            Assert.That(fromZip.Detect(image), Is.EqualTo(expected));
            Assert.That(expected.All(d => d.ClassId >= 0 && d.Label == ScoringFixtures.Names[d.ClassId]), Is.True);
        }
    }

    [Test]
    public void ThresholdsGivenAtLoadReplaceTheSavedOnes()
    {
        using var detector = DigitDetector.Load(SaveZip(Options), new ScoringOptions { Confidence = 0.75f });
        var found = ScoringFixtures.Images.SelectMany(detector.Detect).ToList();
        Assert.That(found.Select(d => d.Score), Is.All.GreaterThan(0.75f));
        Assert.That(detector.Settings.Thresholds.Confidence, Is.EqualTo(0.75f));
    }

    [Test]
    public void EightThreadsGiveTheSameResultsAsOneThread()
    {
        using var detector = DigitDetector.Load(ScoringFixtures.OnnxPath, Options);
        var images = ScoringFixtures.Images;
        var expected = images.Select(detector.Detect).ToList();
        var mismatches = 0;
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int call = 0; call < 200; call++)
            {
                int i = (call + t) % images.Count;
                if (!detector.Detect(images[i]).SequenceEqual(expected[i]))
                    Interlocked.Increment(ref mismatches);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.That(mismatches, Is.Zero);
    }

    [Test]
    public void BadImagesThrowClearErrorsAndTheDetectorKeepsWorking()
    {
        using var detector = DigitDetector.Load(ScoringFixtures.OnnxPath, Options with { MaxImagePixels = 5000 });
        string folder = ScoringFixtures.Directory;
        string missing = Path.Combine(folder, "missing.png");
        string text = Path.Combine(folder, "text.png");
        File.WriteAllText(text, "not an image");
        string empty = Path.Combine(folder, "empty.png");
        File.WriteAllBytes(empty, []);

        Assert.That(Assert.Throws<FileNotFoundException>(() => detector.Detect(missing))!.Message, Does.Contain("missing.png"));
        Assert.That(Assert.Throws<InvalidDataException>(() => detector.Detect(text))!.Message, Does.Contain("text.png").And.Contain("not a readable image"));
        Assert.That(Assert.Throws<InvalidDataException>(() => detector.Detect(empty))!.Message, Does.Contain("empty.png"));
        Assert.That(Assert.Throws<InvalidDataException>(() => detector.Detect(Array.Empty<byte>()))!.Message, Does.Contain("empty"));
        // b.png is 100x60 = 6000 pixels, above the 5000 set here
        Assert.That(Assert.Throws<InvalidDataException>(() => detector.Detect(ScoringFixtures.Images[1]))!.Message, Does.Contain("above the limit of 5000"));
        Assert.That(detector.Detect(ScoringFixtures.Images[0]), Is.Not.Null);
    }

    [Test]
    public void AnImageAboveTheDefaultPixelLimitIsRefusedFromItsHeaderWithoutDecoding()
    {
        // a PNG whose header says 10000 x 6000 (60 MP, above the default 50 MP) and that holds no pixel data
        using var detector = DigitDetector.Load(ScoringFixtures.OnnxPath);
        var bytes = PngHeaderOnly(10000, 6000);
        string path = Path.Combine(ScoringFixtures.Directory, "huge.png");
        File.WriteAllBytes(path, bytes);
        Assert.That(Assert.Throws<InvalidDataException>(() => detector.Detect(path))!.Message,
            Does.Contain("huge.png").And.Contain("10000x6000").And.Contain("above the limit of 50000000"));
        Assert.That(Assert.Throws<InvalidDataException>(() => detector.Detect(bytes))!.Message, Does.Contain("above the limit"));
    }

    [Test]
    public void WrongModelFilesThrowInvalidData()
    {
        string folder = ScoringFixtures.Directory;
        string onnx = Path.Combine(folder, "garbage.onnx");
        File.WriteAllBytes(onnx, [1, 2, 3, 4, 5]);
        string zip = Path.Combine(folder, "garbage.zip");
        File.WriteAllBytes(zip, [80, 75, 3, 4, 9, 9]);
        string other = Path.Combine(folder, "model.txt");
        File.WriteAllText(other, "x");

        Assert.That(Assert.Throws<InvalidDataException>(() => DigitDetector.Load(onnx))!.Message, Does.Contain("garbage.onnx"));
        Assert.That(Assert.Throws<InvalidDataException>(() => DigitDetector.Load(zip))!.Message, Does.Contain("garbage.zip"));
        Assert.That(Assert.Throws<InvalidDataException>(() => DigitDetector.Load(other))!.Message, Does.Contain("model.txt"));
        Assert.Throws<FileNotFoundException>(() => DigitDetector.Load(Path.Combine(folder, "nothing-here.onnx")));
    }

    [Test]
    public void AnExperimentsBestFileLoadsTheVersionItNames()
    {
        // artifacts/EXPERIMENT/best holds "vNNNN": README commands pass it as --model
        string experiment = TinyScenes.NewTempDirectory("best-pointer");
        string version = Path.Combine(experiment, "v0002");
        Directory.CreateDirectory(version);
        File.Copy(ScoringFixtures.OnnxPath, Path.Combine(version, "model.onnx"));
        File.WriteAllText(Path.Combine(experiment, "best"), "v0002\n");

        Assert.That(ModelFiles.Resolve(Path.Combine(experiment, "best")), Is.EqualTo(Path.Combine(version, "model.onnx")));
        using var detector = DigitDetector.Load(Path.Combine(experiment, "best"), Options);
        using var direct = DigitDetector.Load(ScoringFixtures.OnnxPath, Options);
        Assert.That(detector.Detect(ScoringFixtures.Images[0]), Is.EqualTo(direct.Detect(ScoringFixtures.Images[0])));

        File.WriteAllText(Path.Combine(experiment, "best"), "v0009\n");
        Assert.That(Assert.Throws<InvalidDataException>(() => ModelFiles.Resolve(Path.Combine(experiment, "best")))!.Message, Does.Contain("best"),
            "a pointer to a missing version is no model");
    }

    private static byte[] PngHeaderOnly(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]); // a few bytes, far from 60 MP of rows
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        byte[] typeAndData = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typeAndData);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }

        return ~crc;
    }

    private static string SaveZip(ScoringOptions options)
    {
        var ml = new MLContext();
        var chain = DetectionScoringChain.Create(ml, ScoringFixtures.OnnxPath, options);
        var schema = ml.Data.LoadFromEnumerable(Array.Empty<DetectionScoringChain.ImagePathRow>()).Schema;
        string zip = Path.Combine(ScoringFixtures.Directory, $"detector-{Guid.NewGuid():N}.zip");
        ml.Model.Save(chain, schema, zip);
        return zip;
    }
}
