namespace DigitMl.Data.Scenes;

/// <summary>The ink of one scene: how light and dark are arranged, the pen(s), stroke weight and contrast.</summary>
internal sealed record InkStyle
{
    public InkMode Mode { get; init; }

    public Pen Pen { get; init; }

    /// <summary>Each row or scattered digit draws its own pen (from <see cref="NextPen"/>).</summary>
    public bool MixedPens { get; init; }

    /// <summary>Stroke width change in MNIST stroke widths (0: none); each digit varies it by +-20%.</summary>
    public float StrokeWeight { get; init; }

    public bool LowContrast { get; init; }

    public float LowContrastDarkness { get; init; }

    public InkVariation? Variation { get; init; }

    public static InkStyle SamplePlain(SceneRandom random) => new() { Pen = Pen.SamplePlain(random) };

    /// <summary>Picks the light/dark mode first: the paper depends on it.</summary>
    public static InkMode SampleMode(InkVariation v, SceneRandom random)
    {
        if (!random.Chance(v.LightOnDarkShare)) return InkMode.DarkOnLight;
        double total = v.ChalkboardWeight + v.InvertedWeight + v.WhitePenWeight, pick = random.NextDouble() * total;
        return pick < v.ChalkboardWeight ? InkMode.Chalkboard : pick < v.ChalkboardWeight + v.InvertedWeight ? InkMode.Inverted : InkMode.WhitePen;
    }

    public static InkStyle Sample(InkVariation v, InkMode mode, SceneRandom random)
    {
        bool light = mode is InkMode.Chalkboard or InkMode.WhitePen;
        var pen = light ? Pen.SampleLight(mode, random) : Pen.SampleDark(v, random);
        float weight = random.Chance(v.StrokeWeightShare) ? (float)random.Uniform(v.MinStrokeWeight, v.MaxStrokeWeight) : 0;
        // chalk strokes are broad
        if (mode == InkMode.Chalkboard) weight = Math.Max(weight, (float)random.Uniform(0, 0.6));
        return new InkStyle
        {
            Mode = mode,
            Pen = pen,
            MixedPens = !light && random.Chance(v.MixedPensShare),
            StrokeWeight = weight,
            LowContrast = !light && random.Chance(v.LowContrastShare),
            LowContrastDarkness = (float)v.LowContrastDarkness,
            Variation = v,
        };
    }

    /// <summary>The pen for the next row or digit: the scene's pen, or a fresh one with mixed pens.</summary>
    public Pen NextPen(SceneRandom random) => MixedPens && Variation is not null ? Pen.SampleDark(Variation, random) : Pen;

    /// <summary>The stroke radius change in pixels for a digit of this ink height (MNIST strokes are about an eighth of the height).</summary>
    public float StrokeRadius(int inkHeight, SceneRandom random)
    {
        if (StrokeWeight == 0) return 0;
        float weight = StrokeWeight * (float)random.Uniform(0.8, 1.2);
        return weight * inkHeight / 16f;
    }
}
