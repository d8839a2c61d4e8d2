using System.Text.Json;
using System.Text.Json.Serialization;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// Every figure of one bench run. The JSON key names are stable (documented in the README's performance
/// section); ratios are computed from values measured in the same process.
/// </summary>
public sealed partial record BenchReport
{
    [JsonPropertyName("date_utc")] public required string DateUtc { get; init; }
    [JsonPropertyName("machine")] public required string Machine { get; init; }
    [JsonPropertyName("quick")] public bool Quick { get; init; }
    [JsonPropertyName("scale")] public required string Scale { get; init; }
    [JsonPropertyName("imgsz")] public int ImageSize { get; init; }
    [JsonPropertyName("batch")] public int Batch { get; init; }
    [JsonPropertyName("torch_threads")] public int TorchThreads { get; init; }

    [JsonPropertyName("matmul_gflops")] public double MatMulGFlops { get; init; }
    [JsonPropertyName("conv3x3_gflops")] public double Conv3x3GFlops { get; init; }
    /// <summary>The ceiling of the precision of the headline figures (<see cref="Precision"/>): float32's or bf16's matmul / conv3x3.</summary>
    [JsonPropertyName("compute_ceiling_gflops")] public double ComputeCeilingGFlops =>
        Precision == "bf16" ? Math.Max(MatMulBf16GFlops, Conv3x3Bf16GFlops) : Math.Max(MatMulGFlops, Conv3x3GFlops);

    [JsonPropertyName("model_forward_gflops_per_image")] public double ForwardGFlopsPerImage { get; init; }
    [JsonPropertyName("model_train_images_per_s")] public double ModelTrainImagesPerSecond { get; init; }
    /// <summary>Forward + backward is counted as 3x the forward FLOPs (backward computes two gradients per layer).</summary>
    [JsonPropertyName("roofline_train_images_per_s")] public double RooflineImagesPerSecond => ComputeCeilingGFlops / (3 * ForwardGFlopsPerImage);
    [JsonPropertyName("model_vs_roofline")] public double ModelVsRoofline => ModelTrainImagesPerSecond / RooflineImagesPerSecond;

    [JsonPropertyName("trainer_images_per_s")] public double TrainerImagesPerSecond { get; init; }
    [JsonPropertyName("trainer_vs_model")] public double TrainerVsModel => TrainerImagesPerSecond / ModelTrainImagesPerSecond;
    [JsonPropertyName("trainer_data_wait_fraction")] public double TrainerDataWaitFraction { get; init; }

    [JsonPropertyName("torchsharp_b1_ms")] public double TorchSharpBatch1Ms { get; init; }
    [JsonPropertyName("torchsharp_b16_ms_per_image")] public double TorchSharpBatch16Ms { get; init; }
    [JsonPropertyName("onnxruntime_b1_ms")] public double OnnxRuntimeBatch1Ms { get; init; }
    [JsonPropertyName("onnxruntime_b16_ms_per_image")] public double OnnxRuntimeBatch16Ms { get; init; }
    [JsonPropertyName("prediction_engine_b1_ms")] public double PredictionEngineBatch1Ms { get; init; }
    [JsonPropertyName("batched_pipeline_b16_ms_per_image")] public double BatchedPipelineBatch16Ms { get; init; }
    [JsonPropertyName("prediction_engine_vs_onnxruntime_b1")] public double EngineVsOrt => PredictionEngineBatch1Ms / OnnxRuntimeBatch1Ms;
    [JsonPropertyName("onnxruntime_vs_torchsharp_b1")] public double OrtVsTorch => OnnxRuntimeBatch1Ms / TorchSharpBatch1Ms;

    [JsonPropertyName("serving")] public ServingFigures? Serving { get; init; }
    [JsonPropertyName("sheets")] public SheetFigures? Sheets { get; init; }
    /// <summary>`serve` on loopback, 16 concurrent clients: latency per request (queueing included) and throughput.</summary>
    [JsonPropertyName("service_p50_ms")] public double ServiceP50Ms { get; init; }
    [JsonPropertyName("service_p99_ms")] public double ServiceP99Ms { get; init; }
    [JsonPropertyName("service_requests_per_s")] public double ServiceRequestsPerSecond { get; init; }

    [JsonPropertyName("evaluation_500_images_s")] public double Evaluation500ImagesSeconds { get; init; }

    [JsonPropertyName("peak_working_set_training_mib")] public double PeakTrainingMiB { get; init; }
    [JsonPropertyName("peak_working_set_inference_mib")] public double PeakInferenceMiB { get; init; }

    [JsonPropertyName("total_s")] public double TotalSeconds { get; init; }

    // a ratio over a zero measurement is written as null ("not measurable") rather than losing the report
    private static readonly JsonSerializerOptions Indented = Artifacts.JsonFiles.SerializerOptions(nonFiniteAsNull: true);

    public string ToJson() => JsonSerializer.Serialize(this, Indented);
}
