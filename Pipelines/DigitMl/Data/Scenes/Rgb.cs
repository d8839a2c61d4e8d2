namespace DigitMl.Data.Scenes;

/// <summary>A colour with float channels in 0..255 (before rounding into a pixel).</summary>
internal readonly record struct Rgb(float R, float G, float B)
{
    public static Rgb Gray(float v) => new(v, v, v);

    public Rgb Scale(float f) => new(R * f, G * f, B * f);

    public Rgb Add(float v) => new(R + v, G + v, B + v);

    public Rgb Jitter(SceneRandom random, float amount) =>
        new(R + (float)random.Uniform(-amount, amount), G + (float)random.Uniform(-amount, amount), B + (float)random.Uniform(-amount, amount));

    /// <summary>Multiplies by a printed colour laid over it with the given opacity (subtractive, as ink on paper).</summary>
    public Rgb Print(Rgb ink, float opacity) => new(
        R * (1 - opacity + (opacity * ink.R / 255)),
        G * (1 - opacity + (opacity * ink.G / 255)),
        B * (1 - opacity + (opacity * ink.B / 255)));
}
