namespace DigitMl.Experiments.Definitions;

/// <summary>
/// Every hyperparameter of one trial. Experiments set these by their YAML/CLI keys through
/// <see cref="HyperParameters"/>; defaults follow the YOLOv8 reference except where digits differ
/// (no left-right flips: a mirrored 2 or 7 is not a digit).
/// </summary>
public sealed record TrialSettings
{
    public string Scale { get; init; } = "n";
    public int ImageSize { get; init; } = 160;
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 16;
    public double Lr0 { get; init; } = 0.01;
    public double Lrf { get; init; } = 0.01;
    public double Momentum { get; init; } = 0.937;
    public double WeightDecay { get; init; } = 0.0005;
    public double WarmupEpochs { get; init; } = 3;
    public string Optimizer { get; init; } = "auto";
    public bool CosineLr { get; init; }

    /// <summary>Probability of a mosaic per training image (0 = off).</summary>
    public double Mosaic { get; init; } = 1.0;

    /// <summary>Mosaic is switched off for this many final epochs.</summary>
    public int CloseMosaic { get; init; } = 10;

    public double HsvH { get; init; } = 0.015;
    public double HsvS { get; init; } = 0.7;
    public double HsvV { get; init; } = 0.4;
    public double Translate { get; init; } = 0.1;

    /// <summary>Random resize gain of the affine augmentation (Ultralytics' <c>scale</c>, not the model scale).</summary>
    public double ScaleAugment { get; init; } = 0.5;

    /// <summary>Small random rotation of the affine augmentation, in degrees.</summary>
    public double Degrees { get; init; }

    public double FlipLR { get; init; }

    /// <summary>Extra right-angle turns of the training split, canonical form "90,180,270"; empty = none.</summary>
    public string Rotate { get; init; } = "";

    /// <summary>What a 6 or 9 becomes when turned by 180 degrees: keep, drop or relabel.</summary>
    public string RotatePolicy { get; init; } = "drop";

    /// <summary>Number of leading model layers whose weights stay fixed.</summary>
    public int Freeze { get; init; }

    /// <summary>Starting weights: a checkpoint/safetensors path, <c>experiment:NAME</c> (best version of another experiment), or null.</summary>
    public string? Init { get; init; }

    public int Seed { get; init; }
    public int Patience { get; init; } = 100;

    /// <summary>Use only the first N training images (null = all): a cheaper trial.</summary>
    public int? TrainImages { get; init; }

    /// <summary>Validate on only the first N validation images (null = all).</summary>
    public int? ValImages { get; init; }

    public int Workers { get; init; } = 2;

    public IReadOnlyList<int> RotateAngles =>
        Rotate.Length == 0 ? [] : Rotate.Split(',').Select(int.Parse).ToList();
}
