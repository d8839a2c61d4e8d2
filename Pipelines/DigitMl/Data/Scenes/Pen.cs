namespace DigitMl.Data.Scenes;

/// <summary>
/// One pen: its colour, the darkness range of its strokes (the share of the way from paper to pen colour that
/// full coverage reaches), and a stroke texture (chalk and graphite leave gaps): coverage is multiplied by
/// 1 - <see cref="Texture"/> * noise, the noise in 0..1 with features of <see cref="TextureCell"/> pixels.
/// </summary>
internal readonly record struct Pen(Rgb Colour, float MinDarkness, float MaxDarkness, float Texture, float TextureCell)
{
    /// <summary>Today's pens: blue ballpoint, pencil-like grey, black (twice as likely).</summary>
    public static Pen SamplePlain(SceneRandom random)
    {
        float gray = (float)random.Uniform(5, 70);
        var colour = random.NextInt(4) switch
        {
            0 => new Rgb(gray * 0.5f, gray * 0.7f, Math.Min(100, gray + 45)), // blue ballpoint
            1 => Rgb.Gray(gray + 10),                                         // pencil-ish gray
            _ => Rgb.Gray(gray * 0.6f),                                       // black ink
        };
        return new Pen(colour, 0.55f, 1, 0, 1);
    }

    /// <summary>A dark pen by the variation's weights: black, blue, red, pencil grey, green.</summary>
    public static Pen SampleDark(InkVariation v, SceneRandom random)
    {
        double total = v.BlackWeight + v.BlueWeight + v.RedWeight + v.PencilWeight + v.GreenWeight;
        double pick = random.NextDouble() * total;
        if ((pick -= v.BlackWeight) < 0)
        {
            float g = (float)random.Uniform(5, 55);
            return new Pen(new Rgb(g * 0.6f, g * 0.6f, g * 0.65f), 0.55f, 1, 0, 1);
        }
        if ((pick -= v.BlueWeight) < 0)
        {
            if (random.Chance(0.5))
            {
                float g = (float)random.Uniform(5, 60);
                return new Pen(new Rgb(g * 0.5f, g * 0.7f, Math.Min(110, g + 50)), 0.55f, 1, 0, 1);              // ballpoint
            }
            return new Pen(new Rgb((float)random.Uniform(10, 50), (float)random.Uniform(30, 80), (float)random.Uniform(120, 190)), 0.6f, 1, 0, 1); // gel, royal blue
        }
        if ((pick -= v.RedWeight) < 0)
            return new Pen(new Rgb((float)random.Uniform(150, 210), (float)random.Uniform(15, 55), (float)random.Uniform(25, 70)), 0.6f, 1, 0, 1);
        if ((pick -= v.PencilWeight) < 0)
        {
            float g = (float)random.Uniform(55, 105);
            return new Pen(new Rgb(g, g, g + 4), 0.45f, 0.85f, (float)random.Uniform(0.25, 0.55), (float)random.Uniform(0.8, 1.6));
        }
        return new Pen(new Rgb((float)random.Uniform(10, 50), (float)random.Uniform(100, 150), (float)random.Uniform(40, 90)), 0.6f, 1, 0, 1);
    }

    /// <summary>A light pen for a dark ground: chalk (textured) or a white, silver or pastel gel pen.</summary>
    public static Pen SampleLight(InkMode mode, SceneRandom random)
    {
        if (mode == InkMode.Chalkboard)
        {
            var chalk = random.NextInt(5) switch
            {
                0 => new Rgb(240, 228, 150),   // yellow chalk
                1 => new Rgb(240, 200, 210),   // pink chalk
                _ => new Rgb((float)random.Uniform(220, 245), (float)random.Uniform(220, 245), (float)random.Uniform(212, 238)),
            };
            return new Pen(chalk, 0.6f, 0.95f, (float)random.Uniform(0.3, 0.6), (float)random.Uniform(0.8, 1.8));
        }
        var colour = random.NextInt(5) switch
        {
            0 => new Rgb(200, 204, 210),   // silver
            1 => new Rgb(245, 235, 140),   // yellow gel
            2 => new Rgb(250, 200, 215),   // pink gel
            _ => Rgb.Gray((float)random.Uniform(230, 252)),
        };
        return new Pen(colour, 0.7f, 1, 0, 1);
    }

    public float SampleDarkness(SceneRandom random, bool lowContrast, float lowContrastDarkness) =>
        lowContrast ? (float)random.Uniform(lowContrastDarkness, 0.6) : (float)random.Uniform(MinDarkness, MaxDarkness);
}
