using DigitMl.Augmentation.Rotation;
using DigitMl.Data;

namespace DigitMl.Tests.Rotation;

public sealed class QuarterTurnBoxesTests
{
    [TestCase(90, 3f, 1f, 8f, 4f)]
    [TestCase(180, 6f, 3f, 9f, 8f)]
    [TestCase(270, 2f, 6f, 7f, 9f)]
    [TestCase(0, 1f, 2f, 4f, 7f)]
    [TestCase(-90, 2f, 6f, 7f, 9f)]
    [TestCase(450, 3f, 1f, 8f, 4f)]
    public void SquareImageHandComputed(int degrees, float x0, float y0, float x1, float y1)
    {
        // 10 x 10 image, box from (1, 2) to (4, 7)
        var turned = QuarterTurnBoxes.Rotate(new BoundingBox(1, 2, 4, 7), 10, 10, degrees);
        Assert.That(turned, Is.EqualTo(new BoundingBox(x0, y0, x1, y1)));
    }

    [TestCase(90, 4, 8, 2f, 1f, 3.5f, 3f)]
    [TestCase(180, 8, 4, 5f, 2f, 7f, 3.5f)]
    [TestCase(270, 4, 8, 0.5f, 5f, 2f, 7f)]
    public void NonSquareImageHandComputed(int degrees, int newWidth, int newHeight, float x0, float y0, float x1, float y1)
    {
        // 8 wide, 4 high, box from (1, 0.5) to (3, 2)
        Assert.That(QuarterTurnBoxes.RotatedSize(8, 4, degrees), Is.EqualTo((newWidth, newHeight)));
        var turned = QuarterTurnBoxes.Rotate(new BoundingBox(1, 0.5f, 3, 2), 8, 4, degrees);
        Assert.That(turned, Is.EqualTo(new BoundingBox(x0, y0, x1, y1)));
    }

    [TestCase(7, 5, 90)]
    [TestCase(7, 5, 180)]
    [TestCase(7, 5, 270)]
    [TestCase(4, 9, 90)]
    [TestCase(6, 6, 270)]
    public void BoxFollowsThePixelsOfImageRotation(int width, int height, int degrees)
    {
        // Paint the pixels of every integer box, turn the image, and compare the painted pixels' extent
        // (pixel x covers [x, x + 1)) with the turned box.
        var random = new Random(width * 100 + height + degrees);
        for (int trial = 0; trial < 40; trial++)
        {
            int x0 = random.Next(width), y0 = random.Next(height);
            int x1 = random.Next(x0 + 1, width + 1), y1 = random.Next(y0 + 1, height + 1);
            var image = new RgbImage(width, height);
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++)
                    image.Pixels[((y * width) + x) * 3] = 255;
            var turnedImage = ImageRotation.RotateClockwise(image, degrees);
            var turnedBox = QuarterTurnBoxes.Rotate(new BoundingBox(x0, y0, x1, y1), width, height, degrees);
            Assert.That(PaintedExtent(turnedImage), Is.EqualTo(turnedBox), $"box ({x0},{y0},{x1},{y1}) in {width}x{height}");
        }
    }

    [Test]
    public void FourQuarterTurnsAreTheIdentityBitForBitOnThousandsOfRandomBoxes()
    {
        var random = new Random(7);
        for (int i = 0; i < 5000; i++)
        {
            int width = random.Next(1, 5000), height = random.Next(1, 5000);
            var raw = RandomBox(random, width, height);
            // the first turn puts any box on the grid; from there every turn is exact
            var box = QuarterTurnBoxes.Rotate(raw, width, height, 90);
            (int w, int h) = (height, width);
            var turned = box;
            for (int k = 0; k < 4; k++)
            {
                turned = QuarterTurnBoxes.Rotate(turned, w, h, 90);
                (w, h) = (h, w);
            }
            AssertSameBits(turned, box, $"{raw} in {width}x{height}");
        }
    }

    [Test]
    public void OppositeAndDoubleTurnsAreExactOnTheGrid()
    {
        var random = new Random(11);
        for (int i = 0; i < 5000; i++)
        {
            int width = random.Next(1, 3000), height = random.Next(1, 3000);
            var box = QuarterTurnBoxes.Snap(RandomBox(random, width, height), width, height);
            var (w90, h90) = QuarterTurnBoxes.RotatedSize(width, height, 90);
            var at90 = QuarterTurnBoxes.Rotate(box, width, height, 90);
            AssertSameBits(QuarterTurnBoxes.Rotate(at90, w90, h90, 270), box, "90 then 270");
            AssertSameBits(QuarterTurnBoxes.Rotate(at90, w90, h90, 90), QuarterTurnBoxes.Rotate(box, width, height, 180), "90 twice vs 180");
            var at180 = QuarterTurnBoxes.Rotate(box, width, height, 180);
            AssertSameBits(QuarterTurnBoxes.Rotate(at180, width, height, 180), box, "180 twice");
            AssertSameBits(QuarterTurnBoxes.Rotate(at180, width, height, 90), QuarterTurnBoxes.Rotate(box, width, height, 270), "180 then 90 vs 270");
        }
    }

    [Test]
    public void GridBoxesOfTypicalLabelsComeBackExactlyAndTheSnapIsTiny()
    {
        // YOLO labels as they are read: normalised text values times the image size; none is on a grid
        var random = new Random(3);
        for (int i = 0; i < 3000; i++)
        {
            int width = random.Next(16, 1280), height = random.Next(16, 1280);
            float cx = (float)random.NextDouble(), cy = (float)random.NextDouble();
            float bw = (float)random.NextDouble() * 0.5f, bh = (float)random.NextDouble() * 0.5f;
            var raw = BoundingBox.FromCenter(cx * width, cy * height, bw * width, bh * height);
            var snapped = QuarterTurnBoxes.Snap(raw, width, height);
            double step = QuarterTurnBoxes.GridStep(width, height);
            Assert.That(Math.Abs(snapped.X0 - raw.X0), Is.LessThanOrEqualTo(step / 2));
            Assert.That(Math.Abs(snapped.Y1 - raw.Y1), Is.LessThanOrEqualTo(step / 2));
            Assert.That(step, Is.LessThanOrEqualTo(1.0 / 1024), "snap error stays far below a pixel");
            var turned = snapped;
            (int w, int h) = (width, height);
            for (int k = 0; k < 4; k++)
            {
                turned = QuarterTurnBoxes.Rotate(turned, w, h, 90);
                (w, h) = (h, w);
            }
            AssertSameBits(turned, snapped, $"{raw} in {width}x{height}");
        }
    }

    [Test]
    public void PlainFloatArithmeticWouldNotBeExact()
    {
        // The reason for the grid: 64 - (64 - 0.1f) is not 0.1f in float.
        float y = 0.1f;
        float twice = 64f - (64f - y);
        Assert.That(twice, Is.Not.EqualTo(y));
        var box = QuarterTurnBoxes.Snap(new BoundingBox(0.1f, 0.1f, 3.3f, 5.7f), 64, 64);
        var back = QuarterTurnBoxes.Rotate(QuarterTurnBoxes.Rotate(box, 64, 64, 180), 64, 64, 180);
        AssertSameBits(back, box, "on the grid the same round trip is exact");
    }

    [Test]
    public void NonFiniteOrNonQuarterAnglesAreRejected()
    {
        Assert.That(() => QuarterTurnBoxes.Rotate(new BoundingBox(float.NaN, 0, 1, 1), 4, 4, 90), Throws.ArgumentException);
        Assert.That(() => QuarterTurnBoxes.Rotate(new BoundingBox(0, 0, 1, 1), 4, 4, 45), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private static BoundingBox RandomBox(Random random, int width, int height)
    {
        // coordinates anywhere in [-0.5, 1.5] of the image size, with full float precision
        float X() => (float)((random.NextDouble() * 2 - 0.5) * width);
        float Y() => (float)((random.NextDouble() * 2 - 0.5) * height);
        return random.Next(4) == 0
            ? new BoundingBox(random.Next(width), random.Next(height), random.Next(width) + 0.5f, random.Next(height) + 0.25f)
            : new BoundingBox(X(), Y(), X(), Y());
    }

    private static void AssertSameBits(BoundingBox actual, BoundingBox expected, string message)
    {
        int[] Bits(BoundingBox b) =>
            [BitConverter.SingleToInt32Bits(b.X0), BitConverter.SingleToInt32Bits(b.Y0), BitConverter.SingleToInt32Bits(b.X1), BitConverter.SingleToInt32Bits(b.Y1)];
        Assert.That(Bits(actual), Is.EqualTo(Bits(expected)), message);
    }

    private static BoundingBox PaintedExtent(RgbImage image)
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                if (image.Pixels[((y * image.Width) + x) * 3] == 0) continue;
                minX = Math.Min(minX, x);
                minY = Math.Min(minY, y);
                maxX = Math.Max(maxX, x);
                maxY = Math.Max(maxY, y);
            }
        }
        return new BoundingBox(minX, minY, maxX + 1, maxY + 1);
    }
}
