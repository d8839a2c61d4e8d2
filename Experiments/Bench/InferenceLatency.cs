using DigitMl.Export;
using DigitMl.Modeling;
using DigitMl.Scoring;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace DigitMl.Experiments.Bench;

/// <summary>Per-image latency of the three ways to run one model: TorchSharp eval, bare ONNX Runtime, and the ML.NET scoring chain.</summary>
public static class InferenceLatency
{
    public sealed record Result(
        double TorchSharpBatch1Ms, double TorchSharpBatch16Ms,
        double OnnxRuntimeBatch1Ms, double OnnxRuntimeBatch16Ms,
        double PredictionEngineBatch1Ms, double BatchedPipelineBatch16Ms);

    public static Result Measure(BenchSettings settings, IReadOnlyList<string> images, string workDir)
    {
        manual_seed(0);
        var names = Enumerable.Range(0, settings.NumClasses).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        using var model = new YoloV8Model(settings.Scale, settings.NumClasses);
        model.eval();
        string onnx = Path.Combine(workDir, "model.onnx");
        OnnxExporter.Export(model, onnx, new OnnxExportMetadata(names, settings.ImageSize));

        double torch1 = ModelThroughput.EvalForwardMsPerImage(model, 1, settings.ImageSize, settings);
        double torch16 = ModelThroughput.EvalForwardMsPerImage(model, settings.BatchSize, settings.ImageSize, settings);

        using var batchDetector = OnnxBatchDetector.Load(onnx);
        double ort1 = OrtMs(batchDetector, 1, settings);
        double ort16 = OrtMs(batchDetector, settings.BatchSize, settings);

        using var detector = DigitDetector.Load(onnx);
        double engine1 = Timing.MedianSeconds(() => detector.Detect(images[0]), settings.Warmup, settings.LatencyCalls) * 1000;
        double batched16 = Timing.MedianSeconds(() => batchDetector.DetectFiles(images), settings.Warmup, settings.Repeats) * 1000 / images.Count;
        return new Result(torch1, torch16, ort1, ort16, engine1, batched16);
    }

    private static double OrtMs(OnnxBatchDetector detector, int batch, BenchSettings settings)
    {
        int s = settings.ImageSize;
        var input = new DenseTensor<float>([batch, 3, s, s]);
        var random = new Random(0);
        for (int i = 0; i < input.Length; i++) input.SetValue(i, (float)random.NextDouble());
        int repeats = batch == 1 ? settings.LatencyCalls : settings.Repeats;
        return Timing.MedianSeconds(() => detector.RunRaw(input), settings.Warmup, repeats) * 1000 / batch;
    }
}
