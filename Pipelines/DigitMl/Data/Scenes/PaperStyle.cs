namespace DigitMl.Data.Scenes;

internal enum LineKind
{
    None,
    Ruled,
    Squared,
    Dotted,
}

internal enum InkMode
{
    /// <summary>Dark ink on light paper.</summary>
    DarkOnLight,

    /// <summary>Chalk on a board.</summary>
    Chalkboard,

    /// <summary>A normal page whose pixels are inverted at the end.</summary>
    Inverted,

    /// <summary>White or pastel pen on dark paper.</summary>
    WhitePen,
}

internal readonly record struct Stain(float U, float V, float Radius, bool Ring, float RingWidth, Rgb Colour, float Strength);

internal readonly record struct Crease(float U, float V, float Nu, float Nv, float Width, float Strength);

/// <summary>The paper of one scene, drawn by <see cref="PaperPainter"/>: every random choice is made here.</summary>
internal sealed record PaperStyle
{
    public Rgb Base { get; init; }

    /// <summary>Lowest channel value of the paper (keeps dark ink readable on light paper).</summary>
    public float Floor { get; init; }

    public LineKind Lines { get; init; }

    public float Spacing { get; init; }

    public float PhaseU { get; init; }

    public float PhaseV { get; init; }

    public float Thickness { get; init; }

    public Rgb LineColour { get; init; }

    public float LineOpacity { get; init; }

    /// <summary>Page x of the margin line, or NaN for none.</summary>
    public float MarginU { get; init; } = float.NaN;

    public bool DoubleMargin { get; init; }

    public Rgb MarginColour { get; init; }

    public float TextureAmplitude { get; init; }

    public float TextureCell { get; init; }

    /// <summary>Texture cells this many times longer along u than along v (fibres).</summary>
    public float TextureStretch { get; init; } = 1;

    /// <summary>Chalkboard haze: up to this many levels of wiped chalk.</summary>
    public float Haze { get; init; }

    public float Grain { get; init; }

    public IReadOnlyList<Stain> Stains { get; init; } = [];

    public IReadOnlyList<Crease> Creases { get; init; } = [];

    public uint Seed { get; init; }

    /// <summary>Today's plain paper: tone, tint, 30% light ruling (some squared, some with a margin), grain.</summary>
    public static PaperStyle SamplePlain(int width, int height, SceneRandom random)
    {
        float tone = random.Chance(0.12) ? (float)random.Uniform(150, 185) : (float)random.Uniform(185, 250);
        var tint = random.NextInt(4) switch
        {
            0 => new Rgb(3f, 0f, -(float)random.Uniform(6, 20)),                                   // warm, yellowish
            1 => new Rgb(-(float)random.Uniform(4, 12), -(float)random.Uniform(0, 4), 2f),         // cool
            2 => new Rgb(-(float)random.Uniform(0, 6), 0f, -(float)random.Uniform(0, 6)),          // greenish gray
            _ => new Rgb(0f, 0f, 0f),
        };
        bool ruled = random.Chance(0.3);
        int spacing = random.Between(12, 26), phase = random.Between(0, 11), thickness = random.Chance(0.2) ? 2 : 1;
        bool grid = ruled && random.Chance(0.2);
        float margin = ruled && random.Chance(0.35) ? random.Between(width / 10, width / 4) : float.NaN;
        return new PaperStyle
        {
            Base = new Rgb(tone + tint.R, tone + tint.G, tone + tint.B),
            Floor = 120,
            Lines = !ruled ? LineKind.None : grid ? LineKind.Squared : LineKind.Ruled,
            Spacing = spacing,
            PhaseU = phase,
            PhaseV = phase,
            Thickness = thickness,
            LineColour = new Rgb(199, 219, 247),
            LineOpacity = 1,
            MarginU = margin,
            MarginColour = new Rgb(255, 184, 189),
            Grain = (float)random.Uniform(1, 10),
            Seed = (uint)random.NextUInt64(),
        };
    }

    /// <summary>Paper under the variation's shares: lines, colours, texture, stains, creases; dark grounds for light ink.</summary>
    public static PaperStyle Sample(PaperVariation v, InkMode mode, int width, int height, SceneRandom random)
    {
        var plain = SamplePlain(width, height, random);
        float scale = MathF.Sqrt(Math.Max(1f, Math.Min(width, height) / 160f));
        if (mode is InkMode.Chalkboard or InkMode.WhitePen) return SampleDark(plain, mode, scale, width, height, random);

        var paper = plain with { Lines = LineKind.None, MarginU = float.NaN };
        if (random.Chance(v.ColouredShare))
        {
            var colour = random.NextInt(7) switch
            {
                0 => new Rgb(250, 240, 150),  // sticky-note yellow
                1 => new Rgb(250, 208, 218),  // pink
                2 => new Rgb(200, 225, 246),  // light blue
                3 => new Rgb(208, 240, 200),  // green
                4 => new Rgb(250, 212, 165),  // orange
                5 => new Rgb(200, 168, 124),  // kraft
                _ => new Rgb(192, 190, 182),  // grey recycled
            };
            paper = paper with { Base = colour.Jitter(random, 8) };
        }
        if (random.Chance(v.LinedShare))
        {
            double total = v.RuledWeight + v.SquaredWeight + v.DottedWeight, pick = random.NextDouble() * total;
            var kind = pick < v.RuledWeight ? LineKind.Ruled : pick < v.RuledWeight + v.SquaredWeight ? LineKind.Squared : LineKind.Dotted;
            var colour = new Rgb((float)random.Uniform(150, 190), (float)random.Uniform(190, 215), (float)random.Uniform(228, 250));
            float opacity = (float)random.Uniform(0.6, 1);
            if (random.Chance(v.OtherLineColourShare))
            {
                colour = random.NextInt(5) switch
                {
                    0 => Rgb.Gray((float)random.Uniform(140, 190)),
                    1 => new Rgb(235, (float)random.Uniform(130, 170), (float)random.Uniform(130, 170)),
                    2 => new Rgb((float)random.Uniform(140, 175), 210, (float)random.Uniform(150, 180)),
                    3 => new Rgb(200, (float)random.Uniform(160, 180), 228),
                    _ => Rgb.Gray((float)random.Uniform(30, 80)),            // printed form lines
                };
            }
            float spacing = kind == LineKind.Dotted ? (float)random.Uniform(8, 16) * scale : (float)random.Uniform(11, 26) * scale;
            paper = paper with
            {
                Lines = kind,
                Spacing = spacing,
                PhaseU = (float)random.Uniform(0, spacing),
                PhaseV = (float)random.Uniform(0, spacing),
                Thickness = kind == LineKind.Dotted ? (float)random.Uniform(1.2, 2.4) * scale : (float)random.Uniform(0.8, 2.0) * scale,
                LineColour = colour,
                LineOpacity = opacity,
            };
        }
        if (random.Chance(v.MarginShare))
        {
            var colour = random.Chance(0.75)
                ? new Rgb((float)random.Uniform(225, 250), (float)random.Uniform(110, 175), (float)random.Uniform(120, 180))
                : new Rgb((float)random.Uniform(100, 200), (float)random.Uniform(100, 200), (float)random.Uniform(100, 220));
            paper = paper with { MarginU = (float)random.Uniform(width / 12.0, width / 4.0), DoubleMargin = random.Chance(0.3), MarginColour = colour };
        }
        if (random.Chance(v.TextureShare))
        {
            bool fibres = random.Chance(0.5);
            paper = paper with
            {
                TextureAmplitude = (float)random.Uniform(4, v.MaxTexture),
                TextureCell = (float)random.Uniform(fibres ? 1.5 : 2, fibres ? 5 : 22) * scale,
                TextureStretch = fibres ? (float)random.Uniform(3, 8) : 1,
            };
        }
        if (random.Chance(v.StainShare)) paper = paper with { Stains = SampleStains(width, height, random) };
        if (random.Chance(v.CreaseShare)) paper = paper with { Creases = SampleCreases(width, height, scale, random) };
        return paper;
    }

    private static PaperStyle SampleDark(PaperStyle plain, InkMode mode, float scale, int width, int height, SceneRandom random)
    {
        Rgb colour;
        float haze = 0;
        if (mode == InkMode.Chalkboard)
        {
            colour = random.NextInt(3) switch
            {
                0 => new Rgb((float)random.Uniform(30, 55), (float)random.Uniform(60, 90), (float)random.Uniform(45, 70)),  // green board
                1 => new Rgb((float)random.Uniform(35, 55), (float)random.Uniform(40, 60), (float)random.Uniform(45, 68)),  // slate
                _ => Rgb.Gray((float)random.Uniform(18, 35)),                                                              // black board
            };
            haze = (float)random.Uniform(8, 40);
        }
        else
        {
            colour = random.NextInt(5) switch
            {
                0 => Rgb.Gray((float)random.Uniform(12, 35)),
                1 => new Rgb(18, 24, (float)random.Uniform(45, 70)),   // navy
                2 => new Rgb(22, (float)random.Uniform(40, 55), 30),   // dark green
                3 => new Rgb((float)random.Uniform(55, 75), 40, 30),   // dark brown
                _ => Rgb.Gray((float)random.Uniform(40, 60)),
            };
        }
        return plain with
        {
            Base = colour,
            Floor = 0,
            Lines = LineKind.None,
            MarginU = float.NaN,
            TextureAmplitude = (float)random.Uniform(3, mode == InkMode.Chalkboard ? 12 : 6),
            TextureCell = (float)random.Uniform(2, 10) * scale,
            Haze = haze,
            Grain = (float)random.Uniform(1, 6),
            Stains = random.Chance(0.15) ? SampleStains(width, height, random) : [],
        };
    }

    private static Stain[] SampleStains(int width, int height, SceneRandom random)
    {
        int n = random.Between(1, 3);
        var stains = new Stain[n];
        float side = Math.Min(width, height);
        for (int i = 0; i < n; i++)
        {
            float radius = (float)random.Uniform(0.08, 0.35) * side;
            var colour = random.NextInt(4) switch
            {
                0 => new Rgb(150, 105, 55),    // coffee
                1 => new Rgb(205, 175, 90),    // tea, old tape
                2 => new Rgb(130, 130, 135),   // dirt, pencil smudge
                _ => new Rgb(120, 140, 200),   // washed-out ink
            };
            stains[i] = new Stain((float)random.Uniform(0, width), (float)random.Uniform(0, height), radius, random.Chance(0.4),
                (float)random.Uniform(0.04, 0.12) * radius + 1, colour, (float)random.Uniform(0.08, 0.35));
        }
        return stains;
    }

    private static Crease[] SampleCreases(int width, int height, float scale, SceneRandom random)
    {
        int n = random.Between(1, 2);
        var creases = new Crease[n];
        for (int i = 0; i < n; i++)
        {
            double angle = random.Uniform(0, Math.PI);
            creases[i] = new Crease((float)random.Uniform(0.2 * width, 0.8 * width), (float)random.Uniform(0.2 * height, 0.8 * height),
                (float)ExactMath.Cos(angle), (float)ExactMath.Sin(angle), (float)random.Uniform(3, 12) * scale, (float)random.Uniform(0.05, 0.16));
        }
        return creases;
    }
}
