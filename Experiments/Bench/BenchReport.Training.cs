using System.Text.Json.Serialization;
using DigitMl.Training;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// The training figures of <see cref="TrainingBench"/>: float32 and bf16 side by side, every throughput also as a
/// ratio to the convolution peak of the precision it uses (GFLOP/s = images/s x 3 x forward GFLOPs per image).
/// The unsuffixed model/trainer keys of <see cref="BenchReport"/> are those of <see cref="Precision"/>.
/// </summary>
public sealed partial record BenchReport
{
    /// <summary>The precision of the unsuffixed model and trainer figures and of the two-trainer run (auto resolved).</summary>
    [JsonPropertyName("precision")] public string Precision { get; init; } = "fp32";

    [JsonPropertyName("cpu_bf16")] public bool CpuBFloat16 { get; init; }

    /// <summary>1-minute load average (/proc/loadavg) when the run started and ended: how shared the machine was.</summary>
    [JsonPropertyName("load_average_start")] public double LoadAverageStart { get; init; }
    [JsonPropertyName("load_average_end")] public double LoadAverageEnd { get; init; }

    [JsonPropertyName("matmul_bf16_gflops")] public double MatMulBf16GFlops { get; init; }
    [JsonPropertyName("conv3x3_bf16_gflops")] public double Conv3x3Bf16GFlops { get; init; }

    /// <summary>A wide 3x3 convolution's forward + backward, in the precision's layout: the convolution peak.</summary>
    [JsonPropertyName("conv_peak_fp32_gflops")] public double ConvPeakFp32GFlops { get; init; }
    [JsonPropertyName("conv_peak_bf16_gflops")] public double ConvPeakBf16GFlops { get; init; }
    [JsonPropertyName("peak_fp32_gflops")] public double PeakFp32GFlops => Math.Max(Math.Max(MatMulGFlops, Conv3x3GFlops), ConvPeakFp32GFlops);
    [JsonPropertyName("peak_bf16_gflops")] public double PeakBf16GFlops => Math.Max(Math.Max(MatMulBf16GFlops, Conv3x3Bf16GFlops), ConvPeakBf16GFlops);

    [JsonPropertyName("model_train_images_per_s_fp32")] public double ModelFp32ImagesPerSecond { get; init; }
    [JsonPropertyName("model_train_images_per_s_bf16")] public double ModelBf16ImagesPerSecond { get; init; }
    /// <summary>The same steps on NCHW batches (the figures above use each precision's layout: channels-last).</summary>
    [JsonPropertyName("model_train_images_per_s_fp32_nchw")] public double ModelFp32NchwImagesPerSecond { get; init; }
    [JsonPropertyName("model_train_images_per_s_bf16_nchw")] public double ModelBf16NchwImagesPerSecond { get; init; }
    [JsonPropertyName("model_bf16_vs_fp32")] public double ModelBf16VsFp32 => ModelBf16ImagesPerSecond / ModelFp32ImagesPerSecond;
    [JsonPropertyName("model_fp32_vs_conv_peak")] public double ModelFp32VsConvPeak => GFlops(ModelFp32ImagesPerSecond) / ConvPeakFp32GFlops;
    [JsonPropertyName("model_bf16_vs_conv_peak")] public double ModelBf16VsConvPeak => GFlops(ModelBf16ImagesPerSecond) / ConvPeakBf16GFlops;

    /// <summary>
    /// Every convolution of the model alone at its shape in the model, forward + backward, summed
    /// (<see cref="ModelConvolutions"/>): their bf16 gain and GFLOP/s bound the model's, whose step also holds the
    /// normalisations, activations, concatenations, loss and assigner.
    /// </summary>
    [JsonPropertyName("model_convs_count")] public int ModelConvsCount { get; init; }
    [JsonPropertyName("model_convs_ms_fp32")] public double ModelConvsFp32Ms { get; init; }
    [JsonPropertyName("model_convs_ms_bf16")] public double ModelConvsBf16Ms { get; init; }
    [JsonPropertyName("model_convs_gflops_per_batch")] public double ModelConvsGFlopsPerBatch { get; init; }
    [JsonPropertyName("model_convs_bf16_vs_fp32")] public double ModelConvsBf16VsFp32 => ModelConvsFp32Ms / ModelConvsBf16Ms;
    [JsonPropertyName("model_convs_fp32_vs_conv_peak")] public double ModelConvsFp32VsConvPeak => ModelConvsGFlopsPerBatch / (ModelConvsFp32Ms / 1000) / ConvPeakFp32GFlops;
    [JsonPropertyName("model_convs_bf16_vs_conv_peak")] public double ModelConvsBf16VsConvPeak => ModelConvsGFlopsPerBatch / (ModelConvsBf16Ms / 1000) / ConvPeakBf16GFlops;
    /// <summary>The convolutions' time against the bare model's step of the same batch: how much of the step they are.</summary>
    [JsonPropertyName("model_convs_share_fp32")] public double ModelConvsShareFp32 => ModelConvsFp32Ms / (1000.0 * Batch / ModelFp32ImagesPerSecond);
    [JsonPropertyName("model_convs_share_bf16")] public double ModelConvsShareBf16 => ModelConvsBf16Ms / (1000.0 * Batch / ModelBf16ImagesPerSecond);

    [JsonPropertyName("trainer_images_per_s_fp32")] public double TrainerFp32ImagesPerSecond { get; init; }
    [JsonPropertyName("trainer_images_per_s_bf16")] public double TrainerBf16ImagesPerSecond { get; init; }
    [JsonPropertyName("trainer_bf16_vs_fp32")] public double TrainerBf16VsFp32 => TrainerBf16ImagesPerSecond / TrainerFp32ImagesPerSecond;
    [JsonPropertyName("trainer_fp32_vs_model")] public double TrainerFp32VsModel => TrainerFp32ImagesPerSecond / ModelFp32ImagesPerSecond;
    [JsonPropertyName("trainer_bf16_vs_model")] public double TrainerBf16VsModel => TrainerBf16ImagesPerSecond / ModelBf16ImagesPerSecond;
    [JsonPropertyName("trainer_fp32_vs_conv_peak")] public double TrainerFp32VsConvPeak => GFlops(TrainerFp32ImagesPerSecond) / ConvPeakFp32GFlops;
    [JsonPropertyName("trainer_bf16_vs_conv_peak")] public double TrainerBf16VsConvPeak => GFlops(TrainerBf16ImagesPerSecond) / ConvPeakBf16GFlops;
    /// <summary>
    /// The share of the trainer's step time spent in the model's forward, assigner, loss and backward
    /// (<see cref="StepProfile.ModelShare"/>): trainer vs model within the same steps, immune to the machine's drift
    /// between the model's and the trainer's measurements.
    /// </summary>
    [JsonPropertyName("trainer_model_share_fp32")] public double TrainerModelShareFp32 { get; init; }
    [JsonPropertyName("trainer_model_share_bf16")] public double TrainerModelShareBf16 { get; init; }
    [JsonPropertyName("trainer_data_wait_fraction_fp32")] public double TrainerDataWaitFp32 { get; init; }
    [JsonPropertyName("trainer_data_wait_fraction_bf16")] public double TrainerDataWaitBf16 { get; init; }

    /// <summary>Per precision, per phase of a training step: milliseconds per batch and share of the step time.</summary>
    [JsonPropertyName("trainer_step_profile")] public IReadOnlyDictionary<string, IReadOnlyDictionary<string, PhaseFigure>> TrainerStepProfile { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, PhaseFigure>>();

    /// <summary>
    /// Building one training batch on one thread (<see cref="AugmentationCost"/>): in full, of which the HSV jitter and
    /// the mosaic + affine warp, and against the bare model's step of the same batch in <see cref="Precision"/>: the
    /// share of the cores the loader takes from libtorch while training.
    /// </summary>
    [JsonPropertyName("augment_ms_per_batch")] public double AugmentMsPerBatch { get; init; }
    [JsonPropertyName("augment_hsv_ms_per_batch")] public double AugmentHsvMsPerBatch { get; init; }
    [JsonPropertyName("augment_warp_ms_per_batch")] public double AugmentWarpMsPerBatch { get; init; }
    [JsonPropertyName("augment_vs_model_step")] public double AugmentVsModelStep =>
        AugmentMsPerBatch / (1000.0 * Batch / (Precision == "bf16" ? ModelBf16ImagesPerSecond : ModelFp32ImagesPerSecond));

    /// <summary>One training process alone, and two at once sharing the cores (summed), in <see cref="Precision"/>.</summary>
    [JsonPropertyName("one_trainer_images_per_s")] public double OneTrainerImagesPerSecond { get; init; }
    [JsonPropertyName("two_trainers_images_per_s")] public double TwoTrainersImagesPerSecond { get; init; }
    [JsonPropertyName("two_trainers_vs_one")] public double TwoTrainersVsOne => TwoTrainersImagesPerSecond / OneTrainerImagesPerSecond;
    [JsonPropertyName("two_trainers_threads")] public IReadOnlyList<int> TwoTrainersThreads { get; init; } = [];

    private double GFlops(double imagesPerSecond) => imagesPerSecond * 3 * ForwardGFlopsPerImage;

    public sealed record PhaseFigure(
        [property: JsonPropertyName("ms_per_batch")] double MillisecondsPerBatch,
        [property: JsonPropertyName("fraction")] double Fraction);

    /// <summary>The report with the training figures of this run.</summary>
    public BenchReport WithTraining(TrainingBench.Peaks peaks, TrainingBench.Figures figures)
    {
        ArgumentNullException.ThrowIfNull(peaks);
        ArgumentNullException.ThrowIfNull(figures);
        return this with
        {
            Precision = figures.Selected.Name,
            CpuBFloat16 = DigitMl.Training.Native.CpuFeatures.SupportsBFloat16,
            MatMulBf16GFlops = peaks.MatMulBf16,
            Conv3x3Bf16GFlops = peaks.Conv3x3Bf16,
            ConvPeakFp32GFlops = peaks.WideConvFp32,
            ConvPeakBf16GFlops = peaks.WideConvBf16,
            ModelFp32ImagesPerSecond = figures.ModelFp32,
            ModelBf16ImagesPerSecond = figures.ModelBf16,
            ModelFp32NchwImagesPerSecond = figures.ModelFp32Nchw,
            ModelBf16NchwImagesPerSecond = figures.ModelBf16Nchw,
            ModelConvsCount = figures.Convolutions.Count,
            ModelConvsFp32Ms = figures.Convolutions.Fp32Ms,
            ModelConvsBf16Ms = figures.Convolutions.Bf16Ms,
            ModelConvsGFlopsPerBatch = figures.Convolutions.GFlopsPerBatch,
            TrainerFp32ImagesPerSecond = figures.TrainerFp32.ImagesPerSecond,
            TrainerBf16ImagesPerSecond = figures.TrainerBf16.ImagesPerSecond,
            TrainerModelShareFp32 = figures.TrainerFp32.Profile.ModelShare,
            TrainerModelShareBf16 = figures.TrainerBf16.Profile.ModelShare,
            TrainerDataWaitFp32 = figures.TrainerFp32.DataWaitFraction,
            TrainerDataWaitBf16 = figures.TrainerBf16.DataWaitFraction,
            TrainerStepProfile = new Dictionary<string, IReadOnlyDictionary<string, PhaseFigure>>
            {
                ["fp32"] = Phases(figures.TrainerFp32.Profile),
                ["bf16"] = Phases(figures.TrainerBf16.Profile),
            },
            AugmentMsPerBatch = figures.Augmentation.FullMsPerBatch,
            AugmentHsvMsPerBatch = figures.Augmentation.HsvMsPerBatch,
            AugmentWarpMsPerBatch = figures.Augmentation.WarpMsPerBatch,
            OneTrainerImagesPerSecond = figures.Concurrent?.OneImagesPerSecond ?? double.NaN,
            TwoTrainersImagesPerSecond = figures.Concurrent?.TwoImagesPerSecond ?? double.NaN,
            TwoTrainersThreads = figures.Concurrent?.TwoThreads ?? [],
        };
    }

    private static IReadOnlyDictionary<string, PhaseFigure> Phases(StepProfile profile) =>
        Enum.GetValues<StepPhase>().ToDictionary(StepProfile.Key, p => new PhaseFigure(profile.MillisecondsPerBatch(p), profile.Fraction(p)));

    /// <summary>The 1-minute load average, or NaN where /proc/loadavg does not exist.</summary>
    public static double LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg")
                && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double load)
                ? load
                : double.NaN;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
