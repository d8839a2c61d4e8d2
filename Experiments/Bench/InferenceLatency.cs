using System.Text.Json.Serialization;
using DigitMl.Data;
using DigitMl.Export;
using DigitMl.Modeling;
using DigitMl.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// Per-image latency of the ways to run one model (TorchSharp eval, bare ONNX Runtime, the ML.NET scoring chain, the
/// batched path) and where the serving time goes beyond the bare session (<see cref="ServingFigures"/>).
/// </summary>
public static class InferenceLatency
{
    public sealed record Result(
        double TorchSharpBatch1Ms, double TorchSharpBatch16Ms,
        double OnnxRuntimeBatch1Ms, double OnnxRuntimeBatch16Ms,
        double PredictionEngineBatch1Ms, double BatchedPipelineBatch16Ms,
        ServingFigures Serving);

    /// <summary>Exports the bench model (random weights, dynamic axes) to <c>workDir/model.onnx</c>.</summary>
    public static string ExportModel(BenchSettings settings, string workDir)
    {
        manual_seed(0);
        var names = Enumerable.Range(0, settings.NumClasses).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        using var model = new YoloV8Model(settings.Scale, settings.NumClasses);
        model.eval();
        string onnx = Path.Combine(workDir, "model.onnx");
        OnnxExporter.Export(model, onnx, new OnnxExportMetadata(names, settings.ImageSize));
        return onnx;
    }

    public static Result Measure(BenchSettings settings, IReadOnlyList<string> images, string workDir)
    {
        manual_seed(0);
        string onnx = ExportModel(settings, workDir);
        double torch1, torch16;
        using (var model = new YoloV8Model(settings.Scale, settings.NumClasses))
        {
            model.eval();
            torch1 = ModelThroughput.EvalForwardMsPerImage(model, 1, settings.ImageSize, settings);
            torch16 = ModelThroughput.EvalForwardMsPerImage(model, settings.BatchSize, settings.ImageSize, settings);
        }

        var serving = MeasureServing(onnx, images, settings);
        using var batchDetector = OnnxBatchDetector.Load(onnx, maxBatch: settings.BatchSize);
        double batched16 = Timing.MedianSeconds(() => batchDetector.DetectFiles(images), settings.Warmup, settings.Repeats) * 1000 / images.Count;
        return new Result(torch1, torch16, serving.OnnxRuntimeBatch1Ms, serving.OnnxRuntimeBatch16MsPerImage, serving.FromPathMs, batched16, serving);
    }

    /// <summary>
    /// Batch 1 of the ML.NET chain against the bare session on the same letterboxed tensor, timed interleaved, with the
    /// steps in between timed on their own: PNG decode, letterbox + CHW floats, output decode + NMS.
    /// </summary>
    public static ServingFigures MeasureServing(string onnx, IReadOnlyList<string> images, BenchSettings settings, int? intraOpThreads = null)
    {
        string path = images[0];
        var decoded = ImageDecoder.Decode(path);
        var options = new ScoringOptions { IntraOpThreads = intraOpThreads };
        using var batch = OnnxBatchDetector.Load(onnx, options, settings.BatchSize);
        var engine = batch.Engine;
        int s = engine.Settings.ImageSize;
        var view = engine.Plan(decoded.Width, decoded.Height).Views[0];
        var input1 = new DenseTensor<float>([1, 3, s, s]);
        ViewPixels.Write(decoded, view, input1.Buffer.Span);
        var input16 = new DenseTensor<float>([settings.BatchSize, 3, s, s]);
        for (int i = 0; i < settings.BatchSize; i++) input1.Buffer.Span.CopyTo(input16.Buffer.Span.Slice(i * 3 * s * s));
        var output0 = new float[(4 + engine.Model.Names.Count) * ((s / 8 * (s / 8)) + (s / 16 * (s / 16)) + (s / 32 * (s / 32)))];

        using var detector = DigitDetector.Load(onnx, options);
        var ml = new MLContext(seed: 0);
        var imageChain = DetectionScoringChain.Create(ml, onnx, options, ScoringInputKind.MLImage);
        using var mlImage = MLImage.CreateFromFile(path);
        using var imageEngine = ml.Model.CreatePredictionEngine<DetectionScoringChain.ImageRow, DetectionPrediction>(imageChain);
        var row = new DetectionScoringChain.ImageRow { Image = mlImage };
        var prediction = new DetectionPrediction();
        var scratch = new float[3 * s * s];

        int rounds = settings.LatencyCalls;
        var timing = InferenceTiming.Measure(
        [
            ("ort1", () => batch.RunRaw(input1)),
            ("ort16", () => batch.RunRaw(input16)),
            ("engine_image", () => imageEngine.Predict(row, ref prediction)),
            ("detector_path", () => detector.Detect(path)),
            ("engine_core", () => engine.Detect(decoded)),
            ("decode", () => ImageDecoder.Decode(path)),
            ("prepare", () => ViewPixels.Write(decoded, view, scratch)),
            ("post", () => YoloOutputDecoder.Decode(output0, engine.Model.Names.Count, engine.Settings.Thresholds)),
        ], settings.Warmup * 5, rounds);

        return new ServingFigures
        {
            OnnxRuntimeBatch1Ms = timing.Ms("ort1"),
            OnnxRuntimeBatch16MsPerImage = timing.Ms("ort16") / settings.BatchSize,
            Batch16VsBatch1PerImage = timing.Ratio("ort16", "ort1", settings.BatchSize),
            FromImageMs = timing.Ms("engine_image"),
            FromPathMs = timing.Ms("detector_path"),
            EngineMs = timing.Ms("engine_core"),
            DecodeMs = timing.Ms("decode"),
            PrepareMs = timing.Ms("prepare"),
            PostProcessMs = timing.Ms("post"),
            FromImageVsOnnxRuntime = timing.Ratio("engine_image", "ort1"),
            FromPathVsOnnxRuntime = timing.Ratio("detector_path", "ort1"),
            BestOnnxRuntimeBatch1Ms = timing.BestMs("ort1"),
            BestOnnxRuntimeBatch16MsPerImage = timing.BestMs("ort16") / settings.BatchSize,
            BestFromImageMs = timing.BestMs("engine_image"),
            BestFromPathMs = timing.BestMs("detector_path"),
            BestEngineMs = timing.BestMs("engine_core"),
            BestDecodeMs = timing.BestMs("decode"),
            IntraOpThreads = intraOpThreads ?? Environment.ProcessorCount,
            Rounds = rounds,
        };
    }
}

/// <summary>
/// Serving at batch 1 against the bare ONNX Runtime session on the same letterboxed tensor (medians of interleaved
/// rounds, and the fastest round: the cost without contention on a shared machine) and where the difference goes. "from image": a PredictionEngine over an MLImage column (decoded once);
/// "from path": DigitDetector.Detect(path), PNG decode included.
/// </summary>
public sealed record ServingFigures
{
    [JsonPropertyName("onnxruntime_b1_ms")] public double OnnxRuntimeBatch1Ms { get; init; }
    [JsonPropertyName("onnxruntime_b16_ms_per_image")] public double OnnxRuntimeBatch16MsPerImage { get; init; }
    [JsonPropertyName("b16_vs_b1_per_image")] public double Batch16VsBatch1PerImage { get; init; }
    [JsonPropertyName("prediction_engine_from_image_ms")] public double FromImageMs { get; init; }
    [JsonPropertyName("digit_detector_from_path_ms")] public double FromPathMs { get; init; }
    [JsonPropertyName("detection_engine_ms")] public double EngineMs { get; init; }
    [JsonPropertyName("png_decode_ms")] public double DecodeMs { get; init; }
    [JsonPropertyName("letterbox_chw_ms")] public double PrepareMs { get; init; }
    [JsonPropertyName("decode_nms_ms")] public double PostProcessMs { get; init; }
    [JsonPropertyName("mlnet_overhead_ms")] public double MlNetOverheadMs => FromImageMs - EngineMs;
    [JsonPropertyName("from_image_vs_onnxruntime")] public double FromImageVsOnnxRuntime { get; init; }
    [JsonPropertyName("from_path_vs_onnxruntime")] public double FromPathVsOnnxRuntime { get; init; }
    [JsonPropertyName("best_onnxruntime_b1_ms")] public double BestOnnxRuntimeBatch1Ms { get; init; }
    [JsonPropertyName("best_onnxruntime_b16_ms_per_image")] public double BestOnnxRuntimeBatch16MsPerImage { get; init; }
    [JsonPropertyName("best_prediction_engine_from_image_ms")] public double BestFromImageMs { get; init; }
    [JsonPropertyName("best_digit_detector_from_path_ms")] public double BestFromPathMs { get; init; }
    [JsonPropertyName("best_detection_engine_ms")] public double BestEngineMs { get; init; }
    [JsonPropertyName("best_png_decode_ms")] public double BestDecodeMs { get; init; }
    [JsonPropertyName("best_from_image_vs_onnxruntime")] public double BestFromImageVsOnnxRuntime => BestFromImageMs / BestOnnxRuntimeBatch1Ms;
    [JsonPropertyName("best_b16_vs_b1_per_image")] public double BestBatch16VsBatch1PerImage => BestOnnxRuntimeBatch16MsPerImage / BestOnnxRuntimeBatch1Ms;
    [JsonPropertyName("intra_op_threads")] public int IntraOpThreads { get; init; }
    [JsonPropertyName("rounds")] public int Rounds { get; init; }
}
