using System.Globalization;
using System.Text;
using DigitMl.Data.Mnist;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Scenes;

public sealed class MnistImportTests
{
    [Test]
    public void IdxFilesRoundTripThroughSaveAndLoad()
    {
        var random = new Random(3);
        var pixels = new byte[25 * MnistDigits.PixelsPerDigit];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, 25).Select(i => (byte)(i * 7 % 10)).ToArray();
        string dir = TinyScenes.NewTempDirectory("idx");

        new MnistDigits(pixels, labels).Save(dir);
        var loaded = MnistDigits.Load(dir);

        Assert.Multiple(() =>
        {
            Assert.That(loaded.AllPixels.ToArray(), Is.EqualTo(pixels));
            Assert.That(loaded.AllLabels.ToArray(), Is.EqualTo(labels));
            Assert.That(IdxFile.Read(Path.Combine(dir, MnistDigits.ImagesFileName)).Dimensions, Is.EqualTo(new[] { 25, 28, 28 }));
        });
    }

    [Test]
    public void GzipBytesDependOnlyOnTheContentAndReadBackWithGZipStream()
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("digits ", 500)));
        var first = DeterministicGzip.Compress(data);
        var second = DeterministicGzip.Compress(data);
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(first.Take(10), Is.EqualTo(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff }), "fixed header: no name, MTIME 0, OS unknown");
            Assert.That(DeterministicGzip.Decompress(new MemoryStream(first)), Is.EqualTo(data));
            Assert.That(DeterministicGzip.Crc32(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xCBF43926u));
        });
    }

    [Test]
    public void ShippedFilesHaveStandardMnistHeaders()
    {
        string dir = DigitMl.Experiments.Cli.RepositoryLayout.MnistDir;
        var images = DeterministicGzip.Decompress(File.OpenRead(Path.Combine(dir, MnistDigits.ImagesFileName)));
        var labels = DeterministicGzip.Decompress(File.OpenRead(Path.Combine(dir, MnistDigits.LabelsFileName)));
        Assert.Multiple(() =>
        {
            Assert.That(images.Take(16), Is.EqualTo(new byte[] { 0, 0, 8, 3, 0, 0, 0x27, 0x10, 0, 0, 0, 28, 0, 0, 0, 28 }));
            Assert.That(labels.Take(8), Is.EqualTo(new byte[] { 0, 0, 8, 1, 0, 0, 0x27, 0x10 }));
        });
    }

    /// <summary>The shipped .gz files are what the importer writes today: datasets/mnist/README.md's hashes hold on a rerun.</summary>
    [Test]
    public void ShippedGzipFilesAreTheEncodersOutput()
    {
        string dir = DigitMl.Experiments.Cli.RepositoryLayout.MnistDir;
        foreach (string name in new[] { MnistDigits.ImagesFileName, MnistDigits.LabelsFileName })
        {
            byte[] shipped = File.ReadAllBytes(Path.Combine(dir, name));
            byte[] idx = DeterministicGzip.Decompress(new MemoryStream(shipped));
            Assert.That(DeterministicGzip.Compress(idx), Is.EqualTo(shipped), name);
        }
    }

    [Test]
    public void NpmJsonDigitsBecomeTheOriginalBytesInClassOrder()
    {
        string package = TinyScenes.NewTempDirectory("npm");
        string digitsDir = Path.Combine(package, "src", "digits");
        Directory.CreateDirectory(digitsDir);
        // The package stores byte/255 to three decimals; two digits per class, pixel i of digit k of class d = (i + 31*k + 7*d) % 256.
        for (int d = 0; d <= 9; d++)
        {
            var values = Enumerable.Range(0, 2 * 784).Select(i => Math.Round(((i % 784) + (31 * (i / 784)) + (7 * d)) % 256 / 255.0, 3));
            File.WriteAllText(Path.Combine(digitsDir, $"{d}.json"), "{ \"data\": [" + string.Join(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "] }");
        }

        var digits = NpmMnistImporter.Import(package);

        Assert.That(digits.Count, Is.EqualTo(20));
        Assert.That(digits.CountsPerClass(), Is.EqualTo(Enumerable.Repeat(2, 10).ToArray()));
        for (int n = 0; n < 20; n++)
        {
            int d = n / 2, k = n % 2;
            Assert.That(digits.Label(n), Is.EqualTo(d));
            Assert.That(digits.Pixels(n).ToArray(), Is.EqualTo(Enumerable.Range(0, 784).Select(i => (byte)((i + (31 * k) + (7 * d)) % 256)).ToArray()));
        }
    }

    [Test]
    public void BadJsonNamesTheFile()
    {
        string package = TinyScenes.NewTempDirectory("npm-bad");
        for (int d = 0; d <= 9; d++)
            File.WriteAllText(Path.Combine(package, $"{d}.json"), d == 4 ? "{ \"data\": [0.5, 1.5] }" : "{ \"data\": [" + string.Join(',', Enumerable.Repeat("0", 784)) + "] }");

        var error = Assert.Throws<InvalidDataException>(() => NpmMnistImporter.Import(package));
        Assert.That(error!.Message, Does.Contain("4.json").And.Contain("outside 0..1"));
    }

    [Test]
    public void TruncatedIdxNamesTheFile()
    {
        string dir = TinyScenes.NewTempDirectory("idx-bad");
        string path = Path.Combine(dir, MnistDigits.ImagesFileName);
        var bytes = IdxFile.Encode(new byte[2 * 784], 2, 28, 28);
        File.WriteAllBytes(path, DeterministicGzip.Compress(bytes.AsSpan(0, bytes.Length - 5)));

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.That(error!.Message, Does.Contain(path).And.Contain("1568 data bytes"));
    }
}
