namespace DigitMl.Data.Scenes;

internal readonly record struct Shadow(bool Ellipse, float A, float B, float C, float Radius, float Softness, float Depth);

/// <summary>How one scene is photographed, applied by <see cref="CaptureEffects"/> (and the page warp, before drawing).</summary>
internal sealed record CaptureStyle
{
    public double RotationDegrees { get; init; }

    public double TiltX { get; init; }

    public double TiltY { get; init; }

    /// <summary>Light gradient: factor 1 + GradientX * nx + GradientY * ny, with nx, ny in -1..1 across the image.</summary>
    public float GradientX { get; init; }

    public float GradientY { get; init; }

    /// <summary>Darkening towards the corners: factor 1 - Vignette * r^2 (r = 1 at a corner).</summary>
    public float Vignette { get; init; }

    public float SpotX { get; init; }

    public float SpotY { get; init; }

    public float SpotRadius { get; init; }

    public float SpotGain { get; init; }

    public Shadow? Shadow { get; init; }

    public Rgb Cast { get; init; } = new(1, 1, 1);

    public float DefocusSigma { get; init; }

    public float MotionLength { get; init; }

    public float MotionAngle { get; init; }

    public bool Grayscale { get; init; }

    public float NoiseSigma { get; init; }

    /// <summary>JPEG quality, 0 for none.</summary>
    public int JpegQuality { get; init; }

    public uint Seed { get; init; }

    /// <summary>Today's capture: a mild light gradient in a random direction, nothing else.</summary>
    public static CaptureStyle SamplePlain(SceneRandom random) => MildGradient(random) with { Seed = (uint)random.NextUInt64() };

    public static CaptureStyle Sample(CaptureVariation v, SceneRandom random)
    {
        var style = MildGradient(random);
        if (random.Chance(v.RotationShare)) style = style with { RotationDegrees = random.Uniform(-v.MaxRotationDegrees, v.MaxRotationDegrees) };
        if (random.Chance(v.TiltShare)) style = style with { TiltX = random.Uniform(-v.MaxTilt, v.MaxTilt), TiltY = random.Uniform(-v.MaxTilt, v.MaxTilt) };
        if (random.Chance(v.LightingShare))
        {
            double angle = random.Uniform(0, 2 * Math.PI), strength = random.Uniform(0.12, 0.4);
            style = style with
            {
                GradientX = (float)(strength * ExactMath.Cos(angle)),
                GradientY = (float)(strength * ExactMath.Sin(angle)),
                Vignette = random.Chance(0.5) ? (float)random.Uniform(0.1, 0.45) : 0,
            };
            if (random.Chance(0.4))
                style = style with { SpotX = (float)random.Uniform(-0.8, 0.8), SpotY = (float)random.Uniform(-0.8, 0.8), SpotRadius = (float)random.Uniform(0.3, 0.9), SpotGain = (float)random.Uniform(0.1, 0.3) };
        }
        if (random.Chance(v.ShadowShare))
        {
            double angle = random.Uniform(0, 2 * Math.PI);
            style = style with
            {
                Shadow = random.Chance(0.5)
                    ? new Shadow(false, (float)ExactMath.Cos(angle), (float)ExactMath.Sin(angle), (float)random.Uniform(-0.6, 0.6), 0, (float)random.Uniform(0.04, 0.3), (float)random.Uniform(0.2, 0.55))
                    : new Shadow(true, (float)random.Uniform(-1.2, 1.2), (float)random.Uniform(-1.2, 1.2), 0, (float)random.Uniform(0.4, 1.0), (float)random.Uniform(0.05, 0.3), (float)random.Uniform(0.2, 0.55)),
            };
        }
        if (random.Chance(v.ColourCastShare))
        {
            float c = (float)(random.Uniform(0.35, 1) * v.MaxColourCast);
            var cast = random.NextInt(4) switch
            {
                0 => new Rgb(1 + c, 1 + (c / 3), 1 - c),        // warm lamp
                1 => new Rgb(1 - c, 1, 1 + c),                  // cool daylight, shade
                2 => new Rgb(1 - (c / 2), 1 + (c / 2), 1 - (c / 2)), // fluorescent green
                _ => new Rgb(1 + (c / 2), 1 - (c / 2), 1 + (c / 2)), // magenta
            };
            style = style with { Cast = cast };
        }
        if (random.Chance(v.DefocusShare)) style = style with { DefocusSigma = (float)random.Uniform(v.MinDefocusSigma, v.MaxDefocusSigma) };
        if (random.Chance(v.MotionShare)) style = style with { MotionLength = (float)random.Uniform(v.MinMotionLength, v.MaxMotionLength), MotionAngle = (float)random.Uniform(0, Math.PI) };
        if (random.Chance(v.GrayscaleShare)) style = style with { Grayscale = true };
        if (random.Chance(v.NoiseShare)) style = style with { NoiseSigma = (float)random.Uniform(v.MinNoiseSigma, v.MaxNoiseSigma) };
        if (random.Chance(v.JpegShare)) style = style with { JpegQuality = random.Between(v.MinJpegQuality, v.MaxJpegQuality) };
        return style with { Seed = (uint)random.NextUInt64() };
    }

    public PageWarp Warp(int width, int height) => PageWarp.Create(width, height, RotationDegrees, TiltX, TiltY);

    private static CaptureStyle MildGradient(SceneRandom random)
    {
        float dx = (float)random.Uniform(-1, 1), dy = (float)random.Uniform(-1, 1);
        float length = MathF.Sqrt((dx * dx) + (dy * dy)) + 1e-3f, strength = (float)random.Uniform(0, 0.1);
        return new CaptureStyle { GradientX = strength * dx / length, GradientY = strength * dy / length };
    }
}
