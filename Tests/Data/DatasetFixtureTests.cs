using DigitMl.Data;

namespace DigitMl.Tests.Data;

public sealed class DatasetFixtureTests
{
    [Test]
    public void CommittedFixturesMatchTheirGenerator()
    {
        if (Environment.GetEnvironmentVariable("DIGITML_REGENERATE_FIXTURES") == "1")
            DatasetFixtures.WriteAll(DatasetFixtures.SourceDirectory());
        string generated = Path.Combine(Path.GetTempPath(), "digitml-fixtures-" + Guid.NewGuid().ToString("N"));
        try
        {
            DatasetFixtures.WriteAll(generated);
            string committed = Path.GetDirectoryName(Path.GetDirectoryName(DatasetFixtures.Yaml("folders"))!)!;
            foreach (string file in Directory.EnumerateFiles(generated, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(generated, file);
                string other = Path.Combine(committed, relative);
                Assert.That(File.Exists(other), Is.True, $"{relative} is generated but not committed");
                string extension = Path.GetExtension(file).ToLowerInvariant();
                if (extension is ".jpg" or ".webp")
                {
                    // lossy encoders may differ by a few levels between native builds: compare decoded pixels
                    var (a, b) = (ImageDecoder.Decode(file), ImageDecoder.Decode(other));
                    Assert.That((b.Width, b.Height), Is.EqualTo((a.Width, a.Height)), relative);
                    int maxDifference = a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Max();
                    Assert.That(maxDifference, Is.LessThanOrEqualTo(12), relative);
                }
                else
                {
                    Assert.That(File.ReadAllBytes(other), Is.EqualTo(File.ReadAllBytes(file)), relative);
                }
            }
        }
        finally
        {
            Directory.Delete(generated, recursive: true);
        }
    }

    [Test]
    public void ExifOrientationSixIsHonouredBySizeAndDecode()
    {
        string jpeg = Path.Combine(Path.GetDirectoryName(DatasetFixtures.Yaml("exif"))!, "images", "train", "rot6.jpg");
        Assert.That(ImageDecoder.ReadSize(jpeg), Is.EqualTo((8, 16)));
        var image = ImageDecoder.Decode(jpeg);
        Assert.That((image.Width, image.Height), Is.EqualTo((8, 16)));
        // stored left half dark -> displayed (turned clockwise) top half dark
        Assert.That(image.Pixels[((2 * 8) + 4) * 3], Is.LessThan(60), "top");
        Assert.That(image.Pixels[((13 * 8) + 4) * 3], Is.GreaterThan(190), "bottom");
    }
}
