using DigitMl.Training.Augmentation;
using DigitMl.Data;
using DigitMl.Training;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Training;

public sealed class TrainAugmentationTests
{
    private static IReadOnlyList<YoloSample> Samples() => YoloDataset.Load(TinyScenes.Create(8, 2, 1, imgsz: 64, seed: 11)).Split("train");

    [Test]
    public void WithoutAugmentationTheInputIsTheSharedLetterbox()
    {
        var samples = Samples();
        var augmenter = new TrainSampleAugmenter(samples, 96, TrainAugmentationOptions.None, i => SampleImages.Load(samples[i]));

        var result = augmenter.Create(3, new Random(1), allowMosaic: true);

        var expected = Letterbox.Apply(SampleImages.Load(samples[3]), 96, 96);
        Assert.That(result.Image.Pixels, Is.EqualTo(expected.Image.Pixels));
        Assert.That(result.Objects.Select(o => o.Box), Is.EqualTo(samples[3].Objects.Select(o => expected.ToLetterbox(o.Box))));
    }

    [Test]
    public void MosaicWithAffineKeepsBoxesInsideAndIsReproducible()
    {
        var samples = Samples();
        var options = new TrainAugmentationOptions();  // reference defaults: mosaic 1, scale 0.5, translate 0.1, HSV
        var augmenter = new TrainSampleAugmenter(samples, 64, options, i => SampleImages.Load(samples[i]));

        int boxes = 0;
        for (int seed = 0; seed < 20; seed++)
        {
            var a = augmenter.Create(seed % samples.Count, new Random(seed), allowMosaic: true);
            var b = augmenter.Create(seed % samples.Count, new Random(seed), allowMosaic: true);
            Assert.That(a.Image.Width, Is.EqualTo(64));
            Assert.That(a.Image.Height, Is.EqualTo(64));
            Assert.That(b.Image.Pixels, Is.EqualTo(a.Image.Pixels));
            Assert.That(b.Objects, Is.EqualTo(a.Objects));
            foreach (var o in a.Objects)
            {
                Assert.That(o.Box.X0, Is.GreaterThanOrEqualTo(0f));
                Assert.That(o.Box.Y0, Is.GreaterThanOrEqualTo(0f));
                Assert.That(o.Box.X1, Is.LessThanOrEqualTo(64f));
                Assert.That(o.Box.Y1, Is.LessThanOrEqualTo(64f));
                Assert.That(o.Box.Width, Is.GreaterThan(2f));
                Assert.That(o.Box.Height, Is.GreaterThan(2f));
            }
            boxes += a.Objects.Count;
        }
        Assert.That(boxes, Is.GreaterThan(20), "mosaics of four scenes carry digits");
    }

    [Test]
    public void AffineInverseUndoesTheTransform()
    {
        var t = AffineTransform.Translation(3, -2).After(AffineTransform.RotationScale(30, 1.4)).After(AffineTransform.Shear(5, 2));
        var (x, y) = t.Apply(10, 20);
        var (bx, by) = t.Inverse().Apply(x, y);
        Assert.That(bx, Is.EqualTo(10).Within(1e-9));
        Assert.That(by, Is.EqualTo(20).Within(1e-9));
    }

    [Test]
    public void TheFastWarpMatchesTheDoublePrecisionFormWithinOneLevel()
    {
        // four scene tiles of a mosaic under random affine maps (rotation, scale, shear, translation), some pixels
        // off every tile: the fixed-point blend may differ from exact rounding by one level, never more
        var samples = Samples();
        var random = new Random(5);
        int pixels = 0, differing = 0;
        for (int round = 0; round < 12; round++)
        {
            var tiles = Enumerable.Range(0, 4).Select(i =>
            {
                var image = SampleImages.Load(samples[random.Next(samples.Count)]);
                double scale = 0.6 + random.NextDouble();
                double ox = (i % 2) * 64 * scale, oy = (i / 2) * 64 * scale;
                return new CanvasTile(image, scale, ox, oy, new BoundingBox((float)ox, (float)oy, (float)(ox + (64 * scale)), (float)(oy + (64 * scale))));
            }).ToList();
            var affine = AffineTransform.Translation(random.Next(-20, 20), random.Next(-20, 20))
                .After(AffineTransform.RotationScale(random.Next(-30, 30), 0.4 + random.NextDouble()))
                .After(AffineTransform.Shear(random.Next(-10, 10), random.Next(-10, 10)));
            var fast = CanvasWarp.Render(tiles, affine, 80, 72);
            var reference = CanvasWarp.RenderReference(tiles, affine, 80, 72);
            for (int k = 0; k < fast.Pixels.Length; k++)
            {
                int d = Math.Abs(fast.Pixels[k] - reference.Pixels[k]);
                Assert.That(d, Is.AtMost(1), $"round {round}, byte {k}");
                if (d > 0) differing++;
            }
            pixels += fast.Pixels.Length;
        }
        TestContext.Out.WriteLine($"{differing} of {pixels} channel values differ by one level");
        Assert.That(differing, Is.LessThan(pixels / 20));
    }

    [Test]
    public void WithoutRotationOrShearTheColumnAndRowTablesGiveTheGeneralPathsBytes()
    {
        var samples = Samples();
        var random = new Random(6);
        for (int round = 0; round < 12; round++)
        {
            int count = round % 2 == 0 ? 1 : 4;
            var tiles = Enumerable.Range(0, count).Select(i =>
            {
                var image = SampleImages.Load(samples[random.Next(samples.Count)]);
                double scale = 0.5 + random.NextDouble();
                double ox = (i % 2) * 64 * scale + random.Next(-8, 8), oy = (i / 2) * 64 * scale;
                return new CanvasTile(image, scale, ox, oy, new BoundingBox((float)Math.Max(0, ox), (float)oy, (float)(ox + (64 * scale)), (float)(oy + (64 * scale))));
            }).ToList();
            var affine = AffineTransform.Translation(random.Next(-30, 30) + random.NextDouble(), random.Next(-30, 30))
                .After(AffineTransform.RotationScale(0, 0.3 + random.NextDouble()));
            var axisAligned = CanvasWarp.Render(tiles, affine, 80, 72, allowAxisAligned: true);
            var general = CanvasWarp.Render(tiles, affine, 80, 72, allowAxisAligned: false);
            Assert.That(axisAligned.Pixels, Is.EqualTo(general.Pixels), $"round {round}");
        }
    }

    [Test]
    public void TheHsvGrayTableAndFloatLanesGiveThePerPixelResult()
    {
        var random = new Random(9);
        var pixels = new byte[3 * 4096];
        random.NextBytes(pixels);
        for (int i = 0; i < pixels.Length / 2; i += 3) pixels[i + 1] = pixels[i + 2] = pixels[i]; // half of them gray
        // every hue sector's edges: a channel at the maximum shared by two channels, and a count of colours that is
        // not a whole number of vectors (the padded last vector)
        byte[] edges = [255, 255, 0, 0, 255, 255, 255, 0, 255, 200, 200, 100, 100, 200, 200, 200, 100, 200, 1, 0, 0, 0, 1, 0, 0, 0, 1, 30, 200, 90];
        edges.CopyTo(pixels, pixels.Length - edges.Length);
        foreach (int seed in new[] { 1, 2, 3, 4, 5, 6 })
        {
            var fast = new RgbImage(64, 64, (byte[])pixels.Clone());
            HsvJitter.Apply(fast, 0.015, 0.7, 0.4, new Random(seed));
            var draw = new Random(seed);
            double rh = 1 + (((draw.NextDouble() * 2) - 1) * 0.015), rs = 1 + (((draw.NextDouble() * 2) - 1) * 0.7), rv = 1 + (((draw.NextDouble() * 2) - 1) * 0.4);
            var reference = new RgbImage(64, 64, (byte[])pixels.Clone());
            HsvJitter.ApplyReference(reference, rh, rs, rv);
            // gray pixels exactly (a table of the same arithmetic); colours in float32 against the double form: at
            // most one level apart, where the double value lies within float rounding of a half
            int differing = 0;
            for (int i = 0; i < pixels.Length; i++)
            {
                int difference = Math.Abs(fast.Pixels[i] - reference.Pixels[i]);
                Assert.That(difference, Is.LessThanOrEqualTo(1), $"seed {seed}, byte {i}");
                if (difference != 0) differing++;
                if (i < pixels.Length / 2) Assert.That(difference, Is.Zero, $"seed {seed}, gray byte {i}");
            }
            Assert.That(differing, Is.LessThanOrEqualTo(pixels.Length / 1000), $"seed {seed}");
        }
    }

    [Test]
    public void HsvWithZeroGainsLeavesPixelsAlone()
    {
        var image = new RgbImage(2, 1, [10, 200, 30, 255, 255, 255]);
        HsvJitter.Apply(image, 0, 0, 0, new Random(1));
        Assert.That(image.Pixels, Is.EqualTo(new byte[] { 10, 200, 30, 255, 255, 255 }));
        // RGB -> HSV -> RGB round trip is exact for these bytes
        HsvJitter.RgbToHsv(10, 200, 30, out double h, out double s, out double v);
        HsvJitter.HsvToRgb(h, s, v, out byte r, out byte g, out byte b);
        Assert.That(new[] { r, g, b }, Is.EqualTo(new byte[] { 10, 200, 30 }));
    }

    [Test]
    public void FlipsAreOffByDefault()
    {
        var options = new YoloV8TrainerOptions();
        Assert.That(options.FlipLR, Is.Zero);
        Assert.That(options.FlipUD, Is.Zero);
        Assert.That(options.ToAugmentationOptions().FlipLR, Is.Zero);
    }
}
