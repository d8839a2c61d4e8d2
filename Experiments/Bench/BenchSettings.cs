using DigitMl.Modeling;

namespace DigitMl.Experiments.Bench;

/// <summary>What one bench run measures and how hard: the full run or the quick smoke run.</summary>
public sealed record BenchSettings
{
    public YoloV8Scale Scale { get; init; } = YoloV8Scale.N;

    public int ImageSize { get; init; } = 160;

    public int BatchSize { get; init; } = 16;

    public int NumClasses { get; init; } = 10;

    public bool Quick { get; init; }

    /// <summary>Precision of the headline figures (the unsuffixed keys) and of the two-trainer run: auto, fp32 or bf16. Both precisions are measured either way.</summary>
    public string Precision { get; init; } = "auto";

    /// <summary>libtorch threads (0: the cores this process may use).</summary>
    public int Threads { get; init; }

    /// <summary>Unmeasured calls before each timed series.</summary>
    public int Warmup => Quick ? 1 : 2;

    /// <summary>Timed calls per series; the median is reported.</summary>
    public int Repeats => Quick ? 3 : 15;

    /// <summary>
    /// Images the trainer section trains on (one epoch, no validation): 100 batches, long enough for a steady rate
    /// (40 batches, the earlier window, measured the first calls of every shape and method more than training).
    /// </summary>
    public int TrainerImages => Quick ? BatchSize * 3 : BatchSize * 100;

    /// <summary>Images of an epoch of each trainer process of the two-trainer figure (alone, then two at once).</summary>
    public int WorkerImages => Quick ? BatchSize * 8 : BatchSize * 24;

    /// <summary>How long each trainer process of the two-trainer figure trains (the processes of a round train at the same time).</summary>
    public double WorkerSeconds => Quick ? 8 : 30;

    public int MatMulSize => Quick ? 512 : 2048;

    /// <summary>Channels and size of the wide 3x3 convolution that gives the convolution peak.</summary>
    public (int Channels, int Size) WideConv => Quick ? (128, 10) : (256, 20);

    /// <summary>Single-image calls per latency series (batch 1).</summary>
    public int LatencyCalls => Quick ? 5 : 100;
}
