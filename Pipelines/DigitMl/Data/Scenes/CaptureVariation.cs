namespace DigitMl.Data.Scenes;

/// <summary>
/// How the picture is taken (`--vary capture.KEY=VALUE`): optics (defocus, motion blur), sensor noise, JPEG,
/// light (uneven lighting, shadows, colour casts), grayscale, and a small tilt and rotation of the page.
/// Blur, noise and JPEG change pixels around the ink but never the boxes: a box is the tight box of the
/// sharp ink, as a person labels a blurred digit by where it is written.
/// </summary>
public sealed record CaptureVariation
{
    /// <summary>Scenes out of focus: Gaussian blur with sigma drawn from [<see cref="MinDefocusSigma"/>, <see cref="MaxDefocusSigma"/>] pixels.</summary>
    public double DefocusShare { get; init; } = 0.15;

    public double MinDefocusSigma { get; init; } = 0.5;

    public double MaxDefocusSigma { get; init; } = 1.4;

    /// <summary>Scenes with camera shake: a straight motion blur of <see cref="MinMotionLength"/>..<see cref="MaxMotionLength"/> pixels in any direction.</summary>
    public double MotionShare { get; init; } = 0.1;

    public double MinMotionLength { get; init; } = 2;

    public double MaxMotionLength { get; init; } = 5;

    /// <summary>Scenes with sensor noise of standard deviation <see cref="MinNoiseSigma"/>..<see cref="MaxNoiseSigma"/> levels (luma, plus half that per channel).</summary>
    public double NoiseShare { get; init; } = 0.3;

    public double MinNoiseSigma { get; init; } = 2;

    public double MaxNoiseSigma { get; init; } = 10;

    /// <summary>Scenes saved as JPEG (encoded and decoded again) at a quality from the range below.</summary>
    public double JpegShare { get; init; } = 0.3;

    public int MinJpegQuality { get; init; } = 30;

    public int MaxJpegQuality { get; init; } = 90;

    /// <summary>Scenes lit unevenly: a strong gradient, a dark vignette or a bright spot.</summary>
    public double LightingShare { get; init; } = 0.4;

    /// <summary>Scenes with a soft shadow (of a hand or a phone) across part of the page.</summary>
    public double ShadowShare { get; init; } = 0.15;

    /// <summary>Scenes with a colour cast (warm lamp, cool daylight, green fluorescent), gains up to +-<see cref="MaxColourCast"/>.</summary>
    public double ColourCastShare { get; init; } = 0.2;

    public double MaxColourCast { get; init; } = 0.15;

    /// <summary>Scenes turned into grayscale images (still stored as RGB).</summary>
    public double GrayscaleShare { get; init; } = 0.1;

    /// <summary>Scenes photographed at a slant: a perspective tilt that moves the corners by up to this fraction of the half side.</summary>
    public double TiltShare { get; init; } = 0.25;

    public double MaxTilt { get; init; } = 0.08;

    /// <summary>Scenes turned by a small angle, up to +-<see cref="MaxRotationDegrees"/>.</summary>
    public double RotationShare { get; init; } = 0.35;

    public double MaxRotationDegrees { get; init; } = 10;

    /// <summary>No capture effects beyond today's mild light gradient.</summary>
    public static CaptureVariation None { get; } = new()
    {
        DefocusShare = 0, MotionShare = 0, NoiseShare = 0, JpegShare = 0, LightingShare = 0, ShadowShare = 0, ColourCastShare = 0,
        GrayscaleShare = 0, TiltShare = 0, RotationShare = 0,
    };

    /// <summary>Every capture effect, often (the montage of the capture family).</summary>
    public static CaptureVariation Strong { get; } = new()
    {
        DefocusShare = 0.3, MaxDefocusSigma = 1.8, MotionShare = 0.25, MaxMotionLength = 7, NoiseShare = 0.5, MaxNoiseSigma = 16,
        JpegShare = 0.5, MinJpegQuality = 15, LightingShare = 0.7, ShadowShare = 0.4, ColourCastShare = 0.4, MaxColourCast = 0.25,
        GrayscaleShare = 0.2, TiltShare = 0.6, MaxTilt = 0.12, RotationShare = 0.6,
    };

    internal void Validate()
    {
        VariationChecks.Share("capture.defocusShare", DefocusShare);
        VariationChecks.Range("capture.minDefocusSigma", MinDefocusSigma, 0.3, 6);
        VariationChecks.Range("capture.maxDefocusSigma", MaxDefocusSigma, 0.3, 6);
        VariationChecks.Ordered("capture.minDefocusSigma", MinDefocusSigma, "capture.maxDefocusSigma", MaxDefocusSigma);
        VariationChecks.Share("capture.motionShare", MotionShare);
        VariationChecks.Range("capture.minMotionLength", MinMotionLength, 1, 20);
        VariationChecks.Range("capture.maxMotionLength", MaxMotionLength, 1, 20);
        VariationChecks.Ordered("capture.minMotionLength", MinMotionLength, "capture.maxMotionLength", MaxMotionLength);
        VariationChecks.Share("capture.noiseShare", NoiseShare);
        VariationChecks.Range("capture.minNoiseSigma", MinNoiseSigma, 0.5, 60);
        VariationChecks.Range("capture.maxNoiseSigma", MaxNoiseSigma, 0.5, 60);
        VariationChecks.Ordered("capture.minNoiseSigma", MinNoiseSigma, "capture.maxNoiseSigma", MaxNoiseSigma);
        VariationChecks.Share("capture.jpegShare", JpegShare);
        VariationChecks.Range("capture.minJpegQuality", MinJpegQuality, 1, 100);
        VariationChecks.Range("capture.maxJpegQuality", MaxJpegQuality, 1, 100);
        VariationChecks.Ordered("capture.minJpegQuality", MinJpegQuality, "capture.maxJpegQuality", MaxJpegQuality);
        VariationChecks.Share("capture.lightingShare", LightingShare);
        VariationChecks.Share("capture.shadowShare", ShadowShare);
        VariationChecks.Share("capture.colourCastShare", ColourCastShare);
        VariationChecks.Range("capture.maxColourCast", MaxColourCast, 0, 0.5);
        VariationChecks.Share("capture.grayscaleShare", GrayscaleShare);
        VariationChecks.Share("capture.tiltShare", TiltShare);
        VariationChecks.Range("capture.maxTilt", MaxTilt, 0, 0.3);
        VariationChecks.Share("capture.rotationShare", RotationShare);
        VariationChecks.Range("capture.maxRotationDegrees", MaxRotationDegrees, 0, 45);
    }
}
