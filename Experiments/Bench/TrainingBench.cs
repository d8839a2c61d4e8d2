using DigitMl.Data;
using DigitMl.Training;
using DigitMl.Training.Native;
using TorchSharp;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// The training figures of one bench run, in float32 and in bf16 mixed precision side by side: each precision's
/// compute peaks, the bare model's forward + loss + backward (also on NCHW batches, to keep the channels-last choice of
/// <see cref="TrainingPrecision"/> honest), the real trainer with its per-phase step profile, and two trainer
/// processes at once against one alone.
/// </summary>
public static class TrainingBench
{
    /// <summary>Peaks measured at the start of the run, next to the float32 ceilings.</summary>
    public sealed record Peaks(double MatMulBf16, double Conv3x3Bf16, double WideConvFp32, double WideConvBf16);

    public sealed record Figures(
        TrainingPrecision Selected,
        double ModelFp32, double ModelBf16, double ModelFp32Nchw, double ModelBf16Nchw,
        TrainerThroughput.Result TrainerFp32, TrainerThroughput.Result TrainerBf16,
        ConcurrentTrainers.Result? Concurrent, double PeakTrainingMiB, AugmentationCost.Result Augmentation,
        ModelConvolutions.Result Convolutions)
    {
        public double Model => Selected.DType == TrainingPrecision.BFloat16.DType ? ModelBf16 : ModelFp32;

        public TrainerThroughput.Result Trainer => Selected.DType == TrainingPrecision.BFloat16.DType ? TrainerBf16 : TrainerFp32;
    }

    /// <summary>Makes libtorch use the bench's threads (the <c>threads</c> setting, else the cores this process may use).</summary>
    public static void ApplyThreads(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        torch.set_num_threads(settings.Threads > 0 ? settings.Threads : CpuBudget.AvailableCores);
    }

    public static Peaks MeasurePeaks(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (channels, size) = settings.WideConv;
        return new Peaks(
            ComputeCeiling.MatMulGFlops(settings.MatMulSize, settings.Warmup, settings.Repeats, torch.ScalarType.BFloat16),
            ComputeCeiling.Conv3x3GFlops(settings.BatchSize, 64, settings.ImageSize / 4, settings.Warmup, settings.Repeats, TrainingPrecision.BFloat16),
            ComputeCeiling.WideConvTrainGFlops(settings.BatchSize, channels, size, settings.Warmup, settings.Repeats, TrainingPrecision.Float32),
            ComputeCeiling.WideConvTrainGFlops(settings.BatchSize, channels, size, settings.Warmup, settings.Repeats, TrainingPrecision.BFloat16));
    }

    public static Figures Measure(BenchSettings settings, YoloDataset scenes, string workDir, Action<string> log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(scenes);
        ArgumentNullException.ThrowIfNull(log);
        var selected = TrainingPrecision.Resolve(settings.Precision);
        var fp32 = TrainingPrecision.Float32;
        var bf16 = TrainingPrecision.BFloat16;

        log($"model ceiling: forward + loss + backward on a training batch of {settings.BatchSize}, fp32 and bf16, NCHW and channels-last, in turns");
        var model = ModelThroughput.TrainStepImagesPerSecond(settings,
            [fp32, bf16, fp32 with { ChannelsLast = false }, bf16 with { ChannelsLast = false }],
            TrainerThroughput.FirstBatch(settings, scenes));
        ct.ThrowIfCancellationRequested();

        log("the model's convolutions alone at their shapes in the model, forward + backward, fp32 and bf16 in turns");
        var convolutions = ModelConvolutions.Measure(settings);
        ct.ThrowIfCancellationRequested();

        log("augmentation: building training batches on one thread, in full, without HSV, as a plain letterbox");
        var augmentation = AugmentationCost.Measure(settings, scenes, settings.Quick ? 3 : 12);
        ct.ThrowIfCancellationRequested();

        TrainerThroughput.Result trainerFp32, trainerBf16;
        double peak;
        using (var sampler = PeakMemorySampler.Start())
        {
            log($"trainer: one epoch of {settings.TrainerImages} generated scenes in bf16");
            trainerBf16 = TrainerThroughput.Measure(settings, scenes, workDir, ct, "bf16");
            log($"trainer: one epoch of {settings.TrainerImages} generated scenes in fp32");
            trainerFp32 = TrainerThroughput.Measure(settings, scenes, workDir, ct, "fp32");
            peak = sampler.PeakMiB;
        }
        ApplyThreads(settings);

        log($"two trainers: {settings.WorkerSeconds:0} s of training in a process alone, then in two processes at once ({selected.Name})");
        var concurrent = ConcurrentTrainers.Measure(settings, scenes.YamlPath, Path.Combine(workDir, "concurrent"), TimeSpan.FromMinutes(10), ct);
        return new Figures(selected, model[0], model[1], model[2], model[3], trainerFp32, trainerBf16, concurrent, peak, augmentation, convolutions);
    }
}
