using DigitMl.Data;
using DigitMl.Data.Scenes;

namespace DigitMl.Tests.Scenes;

/// <summary>Capture effects change the photograph, never the page or the boxes (except tilt and rotation, which move the page).</summary>
public sealed class CaptureVariationTests
{
    private static SceneVariation Only(CaptureVariation capture) =>
        SceneVariation.None with { Paper = PaperVariation.None with { LinedShare = 0.5 }, Capture = capture };

    public static IEnumerable<TestCaseData> PhotometricEffects()
    {
        var none = CaptureVariation.None;
        yield return new TestCaseData("defocus", none with { DefocusShare = 1 });
        yield return new TestCaseData("motion", none with { MotionShare = 1 });
        yield return new TestCaseData("noise", none with { NoiseShare = 1 });
        yield return new TestCaseData("jpeg", none with { JpegShare = 1 });
        yield return new TestCaseData("lighting", none with { LightingShare = 1 });
        yield return new TestCaseData("shadow", none with { ShadowShare = 1 });
        yield return new TestCaseData("colour cast", none with { ColourCastShare = 1 });
        yield return new TestCaseData("grayscale", none with { GrayscaleShare = 1 });
    }

    [TestCaseSource(nameof(PhotometricEffects))]
    public void PhotometricEffectsChangeThePictureButNotThePageOrTheBoxes(string name, CaptureVariation capture)
    {
        var plain = ScenePixels.Many(Only(CaptureVariation.None), 12).ToList();
        var varied = ScenePixels.Many(Only(capture), 12).ToList();
        double changed = 0;
        for (int i = 0; i < plain.Count; i++)
        {
            Assert.That(varied[i].Digits, Is.EqualTo(plain[i].Digits), $"{name}, scene {i}: same digits, same boxes");
            Assert.That(varied[i].Page.Pixels, Is.EqualTo(plain[i].Page.Pixels), $"{name}, scene {i}: same page");
            changed += ScenePixels.MeanAbsDifference(varied[i].Image, varied[i].Page);
        }
        Assert.That(changed / plain.Count, Is.GreaterThan(0.5), $"{name} changes the picture");
    }

    [Test]
    public void BlurRemovesDetailAndNoiseAddsIt()
    {
        foreach (var scene in ScenePixels.Many(Only(CaptureVariation.None with { DefocusShare = 1, MinDefocusSigma = 1.5, MaxDefocusSigma = 2 }), 8))
            Assert.That(ScenePixels.Detail(scene.Image), Is.LessThan(ScenePixels.Detail(scene.Page) * 0.6));
        foreach (var scene in ScenePixels.Many(Only(CaptureVariation.None with { MotionShare = 1, MinMotionLength = 5, MaxMotionLength = 6 }), 8))
            Assert.That(ScenePixels.Detail(scene.Image), Is.LessThan(ScenePixels.Detail(scene.Page) * 0.8));
        foreach (var scene in ScenePixels.Many(Only(CaptureVariation.None with { NoiseShare = 1, MinNoiseSigma = 10, MaxNoiseSigma = 12 }), 8))
            Assert.That(ScenePixels.Detail(scene.Image), Is.GreaterThan(ScenePixels.Detail(scene.Page) + 5));
    }

    [Test]
    public void LowerJpegQualityLosesMore()
    {
        var page = ScenePixels.Render(Only(CaptureVariation.None), 1).Page;
        double Loss(int quality) => ScenePixels.MeanAbsDifference(JpegRoundTrip.Apply(page, quality), page);
        Assert.That(Loss(10), Is.GreaterThan(Loss(50)));
        Assert.That(Loss(50), Is.GreaterThan(Loss(95)));
        Assert.That(Loss(95), Is.LessThan(1.5));
    }

    [Test]
    public void JpegRoundTripAgreesWithSkiasCodec()
    {
        // two independent JPEG implementations at the same quality lose about the same
        var page = ScenePixels.Render(Only(CaptureVariation.None), 2).Page;
        foreach (int quality in new[] { 30, 80 })
        {
            using var bitmap = ImageEncoder.ToBitmap(page);
            using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, quality);
            var skia = ImageDecoder.Decode(data.ToArray());
            var ours = JpegRoundTrip.Apply(page, quality);
            Assert.That(ScenePixels.MeanAbsDifference(ours, skia), Is.LessThan(2.5), $"quality {quality}");
            Assert.That(ScenePixels.MeanAbsDifference(ours, page), Is.EqualTo(ScenePixels.MeanAbsDifference(skia, page)).Within(1.0));
        }
    }

    [Test]
    public void GrayscaleScenesHaveEqualChannelsAndCastsShiftThem()
    {
        foreach (var scene in ScenePixels.Many(Only(CaptureVariation.None with { GrayscaleShare = 1, NoiseShare = 1 }), 6))
        {
            var p = scene.Image.Pixels;
            Assert.That(Enumerable.Range(0, p.Length / 3).All(i => p[3 * i] == p[(3 * i) + 1] && p[3 * i] == p[(3 * i) + 2]), Is.True);
        }
        foreach (var scene in ScenePixels.Many(Only(CaptureVariation.None with { ColourCastShare = 1, MaxColourCast = 0.2 }), 6))
        {
            double Mean(RgbImage image, int c) => Enumerable.Range(0, image.Pixels.Length / 3).Average(i => image.Pixels[(3 * i) + c]);
            var ratios = Enumerable.Range(0, 3).Select(c => Mean(scene.Image, c) / Mean(scene.Page, c)).ToList();
            Assert.That(ratios.Max() - ratios.Min(), Is.GreaterThan(0.05), $"channel gains {string.Join(", ", ratios.Select(r => r.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
        }
    }

    [Test]
    public void TiltAndRotationMoveThePage()
    {
        // ruled paper: the lines show where the page went (blank paper looks the same however it is turned)
        var ruled = PaperVariation.None with { LinedShare = 1 };
        var upright = ScenePixels.Many(SceneVariation.None with { Paper = ruled }, 10).ToList();
        var turned = ScenePixels.Many(SceneVariation.None with { Paper = ruled, Capture = CaptureVariation.None with { RotationShare = 1, TiltShare = 1 } }, 10).ToList();
        for (int i = 0; i < upright.Count; i++)
        {
            Assert.That(turned[i].Style.Capture.RotationDegrees, Is.InRange(-10.0, 10.0).And.Not.EqualTo(0.0));
            Assert.That(Math.Abs(turned[i].Style.Capture.TiltX), Is.InRange(1e-9, 0.08));
            Assert.That(ScenePixels.MeanAbsDifference(turned[i].Background, upright[i].Background), Is.GreaterThan(0.3), "the printed lines move");
        }
    }
}
