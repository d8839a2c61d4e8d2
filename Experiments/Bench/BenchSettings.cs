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

    /// <summary>Unmeasured calls before each timed series.</summary>
    public int Warmup => Quick ? 1 : 2;

    /// <summary>Timed calls per series; the median is reported.</summary>
    public int Repeats => Quick ? 3 : 15;

    /// <summary>Images the trainer section trains on (one epoch, no validation).</summary>
    public int TrainerImages => Quick ? BatchSize * 3 : BatchSize * 40;

    public int MatMulSize => Quick ? 512 : 2048;

    /// <summary>Single-image calls per latency series (batch 1).</summary>
    public int LatencyCalls => Quick ? 5 : 100;
}
