using DigitMl.Data;

namespace DigitMl.Tests.Foundation;

public sealed class ImageRoundTripTests
{
    private static RgbImage Gradient(int w, int h)
    {
        var image = new RgbImage(w, h);
        for (int i = 0; i < w * h; i++)
        {
            image.Pixels[i * 3] = (byte)(i % 251);
            image.Pixels[(i * 3) + 1] = (byte)(i / w * 7);
            image.Pixels[(i * 3) + 2] = (byte)(255 - (i % 256));
        }
        return image;
    }

    [Test]
    public void PngEncodeDecodeIsLossless()
    {
        var image = Gradient(13, 7);
        var decoded = ImageDecoder.Decode(ImageEncoder.EncodePng(image));
        Assert.That((decoded.Width, decoded.Height), Is.EqualTo((13, 7)));
        Assert.That(decoded.Pixels, Is.EqualTo(image.Pixels));
    }

    [TestCase(90)]
    [TestCase(180)]
    [TestCase(270)]
    public void FourQuarterTurnsReturnTheOriginalPixels(int degrees)
    {
        var image = Gradient(5, 3);
        var turned = image;
        for (int i = 0; i < 4; i++) turned = ImageRotation.RotateClockwise(turned, degrees);
        Assert.That(turned.Pixels, Is.EqualTo(image.Pixels));
    }

    [Test]
    public void QuarterTurnClockwiseMovesTopLeftToTopRight()
    {
        var image = new RgbImage(3, 2);
        image.Pixels[0] = 200; // (0,0) red
        var turned = ImageRotation.RotateClockwise(image, 90);
        Assert.That((turned.Width, turned.Height), Is.EqualTo((2, 3)));
        Assert.That(turned.Pixels[(1 * 3) + 0], Is.EqualTo(200)); // now at (x=1, y=0)
    }

    [Test]
    public void GarbageBytesGiveAClearError()
    {
        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode("not an image"u8.ToArray(), "bad.png"));
        Assert.That(error!.Message, Does.StartWith("bad.png:"));
    }
}
