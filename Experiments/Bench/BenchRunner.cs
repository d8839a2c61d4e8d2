using System.Diagnostics;
using DigitMl.Experiments.Artifacts;
using DigitMl.Evaluation;
using DigitMl.Modeling;
using TorchSharp;

namespace DigitMl.Experiments.Bench;

/// <summary>Runs every bench section in one process, in an order that keeps inference memory apart from training memory.</summary>
public static class BenchRunner
{
    private static string DescribeMachine()
    {
        var m = MachineInfo.Current();
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
        return $"{cpu}, {m.Cores} cores, {m.MemoryGiB} GiB, {m.Os}, {m.Runtime}";
    }

    public static BenchReport Run(BenchSettings settings, Action<string> log, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        double loadAtStart = BenchReport.LoadAverage();
        TrainingBench.ApplyThreads(settings);
        string workDir = Path.Combine(Path.GetTempPath(), $"digitml-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(workDir);
        try
        {
            log($"compute ceiling (matmul {settings.MatMulSize}, conv3x3)");
            double matmul = ComputeCeiling.MatMulGFlops(settings.MatMulSize, settings.Warmup, settings.Repeats);
            double conv = ComputeCeiling.Conv3x3GFlops(settings.BatchSize, 64, settings.ImageSize / 4, settings.Warmup, settings.Repeats);
            log($"bf16 peaks and the convolution peak (wide 3x3 conv, forward + backward, fp32 and bf16)");
            var peaks = TrainingBench.MeasurePeaks(settings);
            ct.ThrowIfCancellationRequested();

            log($"generating {settings.TrainerImages} digit scenes");
            var scenes = TrainerThroughput.GenerateScenes(settings, workDir, ct);
            var images = scenes.Split("train").Take(settings.BatchSize).Select(s => s.ImagePath).ToList();

            log("inference: TorchSharp, ONNX Runtime, PredictionEngine");
            InferenceLatency.Result inference;
            double inferencePeak;
            using (var sampler = PeakMemorySampler.Start())
            {
                inference = InferenceLatency.Measure(settings, images, workDir);
                inferencePeak = sampler.PeakMiB;
            }
            ct.ThrowIfCancellationRequested();

            log($"inference: {InferenceSheets.Width}x{InferenceSheets.Height} sheets, letterbox / native / tiles");
            var sheets = InferenceSheets.Measure(Path.Combine(workDir, "model.onnx"), settings, workDir);
            ct.ThrowIfCancellationRequested();
            log($"service: {ServiceLoad.Clients} clients on a loopback port");
            var service = ServiceLoad.Measure(settings, Path.Combine(workDir, "model.onnx"), images, ct);
            ct.ThrowIfCancellationRequested();

            log("evaluation: 500 images x 5 predictions");
            var evaluation = EvaluationBenchmark.Measure(500, 5, settings.Repeats);

            var training = TrainingBench.Measure(settings, scenes, workDir, log, ct);

            return new BenchReport
            {
                DateUtc = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                Machine = DescribeMachine(),
                Quick = settings.Quick,
                Scale = settings.Scale.Name,
                ImageSize = settings.ImageSize,
                Batch = settings.BatchSize,
                TorchThreads = torch.get_num_threads(),
                MatMulGFlops = matmul,
                Conv3x3GFlops = conv,
                ForwardGFlopsPerImage = ModelSummary.Compute(settings.Scale, settings.NumClasses, settings.ImageSize).GFlops,
                ModelTrainImagesPerSecond = training.Model,
                TrainerImagesPerSecond = training.Trainer.ImagesPerSecond,
                TrainerDataWaitFraction = training.Trainer.DataWaitFraction,
                TorchSharpBatch1Ms = inference.TorchSharpBatch1Ms,
                TorchSharpBatch16Ms = inference.TorchSharpBatch16Ms,
                OnnxRuntimeBatch1Ms = inference.OnnxRuntimeBatch1Ms,
                OnnxRuntimeBatch16Ms = inference.OnnxRuntimeBatch16Ms,
                PredictionEngineBatch1Ms = inference.PredictionEngineBatch1Ms,
                BatchedPipelineBatch16Ms = inference.BatchedPipelineBatch16Ms,
                Serving = inference.Serving,
                Sheets = sheets,
                ServiceP50Ms = service.P50Ms,
                ServiceP99Ms = service.P99Ms,
                ServiceRequestsPerSecond = service.RequestsPerSecond,
                Evaluation500ImagesSeconds = evaluation.Median.TotalSeconds,
                PeakTrainingMiB = training.PeakTrainingMiB,
                PeakInferenceMiB = inferencePeak,
                TotalSeconds = total.Elapsed.TotalSeconds,
                LoadAverageStart = loadAtStart,
                LoadAverageEnd = BenchReport.LoadAverage(),
            }.WithTraining(peaks, training);
        }
        finally
        {
            try { Directory.Delete(workDir, recursive: true); } catch (IOException) { }
        }
    }
}
