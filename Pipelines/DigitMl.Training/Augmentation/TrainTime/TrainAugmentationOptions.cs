namespace DigitMl.Training.Augmentation;

/// <summary>
/// Training-time random augmentation, applied per batch in memory (never written to disk). Defaults follow the
/// reference's detection hyperparameters, except that flips are off: a mirrored digit is not a digit
/// (a mirrored 2 is no digit at all; an upside-down 6 reads as 9).
/// </summary>
public sealed record TrainAugmentationOptions
{
    /// <summary>Probability of composing a 4-image mosaic instead of a single letterboxed image.</summary>
    public double Mosaic { get; init; } = 1.0;

    /// <summary>Random translation, fraction of the image size (+/-).</summary>
    public double Translate { get; init; } = 0.1;

    /// <summary>Random scale gain (+/-): the image is zoomed by a factor in [1 - Scale, 1 + Scale].</summary>
    public double Scale { get; init; } = 0.5;

    /// <summary>Random rotation in degrees (+/-); off by default (orientation is the rotation augmenter's job).</summary>
    public double Degrees { get; init; }

    /// <summary>Random shear in degrees (+/-); off by default.</summary>
    public double Shear { get; init; }

    /// <summary>Hue gain (fraction of the hue circle).</summary>
    public double HsvH { get; init; } = 0.015;

    /// <summary>Saturation gain (fraction).</summary>
    public double HsvS { get; init; } = 0.7;

    /// <summary>Value (brightness) gain (fraction).</summary>
    public double HsvV { get; init; } = 0.4;

    /// <summary>Probability of a horizontal flip. Off by default: mirrored digits are not digits.</summary>
    public double FlipLR { get; init; }

    /// <summary>Probability of a vertical flip. Off by default.</summary>
    public double FlipUD { get; init; }

    /// <summary>No augmentation at all: letterbox only (validation, overfit tests).</summary>
    public static TrainAugmentationOptions None { get; } = new()
    {
        Mosaic = 0, Translate = 0, Scale = 0, Degrees = 0, Shear = 0, HsvH = 0, HsvS = 0, HsvV = 0, FlipLR = 0, FlipUD = 0,
    };
}
