namespace DigitMl.Training;

/// <summary>
/// Learning-rate, momentum and accumulation schedule of the reference: per epoch the group lr is
/// initial * lf(epoch) with lf linear (1 - e/E)(1 - lrf) + lrf or a half cosine from 1 to lrf; during the first
/// round(min(warmupEpochs, epochs - 1) * batches) iterations the bias lr falls from the warmup bias lr and the other
/// lrs rise from 0, momentum rises from the warmup momentum, and the accumulation rises from 1 to nominal/batch.
/// That is the current reference's rule: the older max(..., 100) floor kept a small dataset in warmup for many
/// epochs (400 images, 3 epochs: 75 iterations, all of them warmup, ending at mAP 0).
/// </summary>
public sealed class LearningRateSchedule(int epochs, int batchesPerEpoch, int batchSize, YoloV8TrainerOptions options)
{
    public int Epochs { get; } = epochs;

    public int BatchesPerEpoch { get; } = batchesPerEpoch;

    /// <summary>Batches per optimizer step after warmup: round(nominal / batch), at least 1.</summary>
    public int Accumulate { get; } = Math.Max((int)Math.Round((double)options.NominalBatchSize / batchSize, MidpointRounding.ToEven), 1);

    /// <summary>Warmup length in iterations (batches): at most all epochs but the last; -1 when warmup is off.</summary>
    public int WarmupIterations { get; } = WarmupLength(options.WarmupEpochs, epochs, batchesPerEpoch);

    private static int WarmupLength(double warmupEpochs, int epochs, int batchesPerEpoch)
    {
        double effective = Math.Min(warmupEpochs, epochs - 1);
        int iterations = (int)Math.Round(effective * batchesPerEpoch, MidpointRounding.ToEven);
        return effective > 0 && iterations > 0 ? iterations : -1;
    }

    public double Factor(int epoch)
    {
        double lrf = options.Lrf;
        if (options.CosineLr)
            return (((1 - Math.Cos(epoch * Math.PI / Epochs)) / 2) * (lrf - 1)) + 1;
        return (Math.Max(1 - ((double)epoch / Epochs), 0) * (1.0 - lrf)) + lrf;
    }

    public bool InWarmup(long iteration) => iteration <= WarmupIterations;

    /// <summary>Accumulation at global iteration <paramref name="iteration"/>.</summary>
    public int AccumulateAt(long iteration)
    {
        if (!InWarmup(iteration)) return Accumulate;
        double nominal = (double)options.NominalBatchSize / batchSize;
        return Math.Max(1, (int)Math.Round(Interpolate(iteration, 1, nominal), MidpointRounding.ToEven));
    }

    /// <summary>Group lr during warmup: from <paramref name="start"/> to <paramref name="target"/>.</summary>
    public double WarmupValue(long iteration, double start, double target) => Interpolate(iteration, start, target);

    private double Interpolate(long iteration, double start, double end) =>
        start + ((end - start) * Math.Clamp((double)iteration / WarmupIterations, 0, 1));
}
