using System.ComponentModel;
using System.Globalization;
using DigitMl.Experiments.Bench;
using DigitMl.Modeling;
using DigitMl.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`bench`: throughput and latency, each as a ratio against a ceiling measured in the same run.</summary>
public sealed class BenchCommand : Command<BenchCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--json <FILE>")]
        [Description("Also write the figures as JSON (stable keys, see README).")]
        public string? Json { get; init; }

        [CommandOption("--quick")]
        [Description("Fewer repetitions and smaller sizes: a smoke run in under 2 minutes.")]
        public bool Quick { get; init; }

        [CommandOption("--scale <SCALE>")]
        [Description("Model scale to measure (n, s, m, l, x, tiny).")]
        [DefaultValue("n")]
        public string Scale { get; init; } = "n";

        [CommandOption("--imgsz <PIXELS>")]
        [Description("Input size (multiple of 32).")]
        [DefaultValue(160)]
        public int ImageSize { get; init; } = 160;

        [CommandOption("--batch <N>")]
        [Description("Training and batched-inference batch size.")]
        [DefaultValue(16)]
        public int Batch { get; init; } = 16;

        [CommandOption("--precision <PRECISION>")]
        [Description("Precision of the headline model/trainer figures and of the two-trainer run: auto (bf16 where the CPU has bf16 instructions), fp32 or bf16. fp32 and bf16 are measured side by side either way.")]
        [DefaultValue("auto")]
        public string Precision { get; init; } = "auto";

        [CommandOption("--threads <N>")]
        [Description("libtorch threads (default 0: the cores this process may use).")]
        [DefaultValue(0)]
        public int Threads { get; init; }

        // a trainer process of the two-trainer figure: started by the bench itself
        [CommandOption("--worker-data <YAML>", IsHidden = true)]
        public string? WorkerData { get; init; }

        [CommandOption("--worker-out <FILE>", IsHidden = true)]
        public string? WorkerOut { get; init; }

        [CommandOption("--worker-share <DIR>", IsHidden = true)]
        public string? WorkerShare { get; init; }

        [CommandOption("--worker-barrier <DIR>", IsHidden = true)]
        public string? WorkerBarrier { get; init; }

        [CommandOption("--worker-peers <N>", IsHidden = true)]
        [DefaultValue(1)]
        public int WorkerPeers { get; init; } = 1;

        public override ValidationResult Validate() =>
            ImageSize < 32 || ImageSize % 32 != 0 ? ValidationResult.Error("--imgsz must be a positive multiple of 32.")
            : Batch < 1 ? ValidationResult.Error("--batch must be at least 1.")
            : !TrainingPrecision.Choices.Contains(Precision.ToLowerInvariant()) ? ValidationResult.Error($"--precision must be one of {string.Join(", ", TrainingPrecision.Choices)}.")
            : Threads < 0 ? ValidationResult.Error("--threads must be 0 (all available cores) or more.")
            : (WorkerData is null) != (WorkerOut is null) ? ValidationResult.Error("--worker-data and --worker-out go together.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var bench = new BenchSettings
        {
            Scale = YoloV8Scale.Parse(settings.Scale),
            ImageSize = settings.ImageSize,
            BatchSize = settings.Batch,
            Quick = settings.Quick,
            Precision = settings.Precision.ToLowerInvariant(),
            Threads = settings.Threads,
        };
        if (settings.WorkerData is { } workerData)
        {
            TrainerWorker.Run(bench, workerData, settings.WorkerOut!, settings.WorkerShare, settings.WorkerBarrier, settings.WorkerPeers, cancellationToken);
            return 0;
        }
        var report = BenchRunner.Run(bench, line => Console.Error.WriteLine($"bench: {line}"), cancellationToken);
        AnsiConsole.Write(BuildTable(report));
        if (settings.Json is { } json)
        {
            if (Path.GetDirectoryName(Path.GetFullPath(json)) is { } dir) Directory.CreateDirectory(dir);
            File.WriteAllText(json, report.ToJson());
            Console.WriteLine($"wrote {json}");
        }
        return 0;
    }

    public static Table BuildTable(BenchReport r)
    {
        static string F(double v, string format = "0.0") => v.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Title($"bench: YOLOv8{r.Scale} at {r.ImageSize} px, batch {r.Batch}{(r.Quick ? " (quick)" : "")}")
            .AddColumn("figure").AddColumn(new TableColumn("value").RightAligned()).AddColumn(new TableColumn("ratio").RightAligned()).AddColumn("target");
        table.AddRow("matmul / conv3x3 GFLOP/s", $"{F(r.MatMulGFlops)} / {F(r.Conv3x3GFlops)}", "", "");
        table.AddRow("bf16 matmul / conv3x3 GFLOP/s", $"{F(r.MatMulBf16GFlops)} / {F(r.Conv3x3Bf16GFlops)}", "", r.CpuBFloat16 ? "CPU has bf16" : "no bf16 in this CPU");
        table.AddRow("conv peak fp32 / bf16 GFLOP/s (wide 3x3, fwd+bwd)", $"{F(r.ConvPeakFp32GFlops)} / {F(r.ConvPeakBf16GFlops)}", "", "");
        table.AddRow($"model fwd+bwd images/s, {r.Precision} (roofline)", $"{F(r.ModelTrainImagesPerSecond)} ({F(r.RooflineImagesPerSecond)})", F(r.ModelVsRoofline, "0.00"), ">= 0.60");
        table.AddRow("model fp32 / bf16 images/s (vs conv peak)", $"{F(r.ModelFp32ImagesPerSecond)} / {F(r.ModelBf16ImagesPerSecond)}",
            $"{F(r.ModelFp32VsConvPeak, "0.00")} / {F(r.ModelBf16VsConvPeak, "0.00")}", ">= 0.5");
        table.AddRow($"  its {r.ModelConvsCount} convolutions alone fp32 / bf16 ms (vs conv peak)", $"{F(r.ModelConvsFp32Ms)} / {F(r.ModelConvsBf16Ms)}",
            $"{F(r.ModelConvsFp32VsConvPeak, "0.00")} / {F(r.ModelConvsBf16VsConvPeak, "0.00")}", $"bf16 gain {F(r.ModelConvsBf16VsFp32, "0.00")}x");
        table.AddRow("model on NCHW batches: fp32 / bf16", $"{F(r.ModelFp32NchwImagesPerSecond)} / {F(r.ModelBf16NchwImagesPerSecond)}", "", "below the line above");
        table.AddRow($"trainer images/s, {r.Precision} (vs model)", F(r.TrainerImagesPerSecond), F(r.TrainerVsModel, "0.00"), ">= 0.90");
        table.AddRow("trainer fp32 / bf16 images/s (vs model)", $"{F(r.TrainerFp32ImagesPerSecond)} / {F(r.TrainerBf16ImagesPerSecond)}",
            $"{F(r.TrainerFp32VsModel, "0.00")} / {F(r.TrainerBf16VsModel, "0.00")}", ">= 0.90");
        table.AddRow("trainer step share in the model's own phases fp32 / bf16", "",
            $"{F(r.TrainerModelShareFp32, "0.00")} / {F(r.TrainerModelShareBf16, "0.00")}", ">= 0.90 (same steps)");
        table.AddRow("trainer bf16 vs fp32", "", F(r.TrainerBf16VsFp32, "0.00"), ">= 2.0");
        table.AddRow("trainer data wait", F(r.TrainerDataWaitFraction * 100, "0.0") + " %", "", "< 3 %");
        table.AddRow("batch building on one thread ms (HSV / warp)", $"{F(r.AugmentMsPerBatch)} ({F(r.AugmentHsvMsPerBatch)} / {F(r.AugmentWarpMsPerBatch)})",
            F(r.AugmentVsModelStep, "0.00"), "(vs the model's step)");
        foreach (var (precision, phases) in r.TrainerStepProfile)
            table.AddRow($"  step profile {precision} (ms/batch)", string.Join(" ", phases.Select(p => $"{p.Key} {F(p.Value.MillisecondsPerBatch)}")), "", "");
        table.AddRow("one trainer / two at once (images/s)", $"{F(r.OneTrainerImagesPerSecond)} / {F(r.TwoTrainersImagesPerSecond)}", F(r.TwoTrainersVsOne, "0.00"), ">= 0.9");
        table.AddRow("load average at start / end", $"{F(r.LoadAverageStart, "0.0")} / {F(r.LoadAverageEnd, "0.0")}", "", "");
        table.AddRow("TorchSharp eval b1 / b16 ms/img", $"{F(r.TorchSharpBatch1Ms, "0.00")} / {F(r.TorchSharpBatch16Ms, "0.00")}", "", "");
        table.AddRow("ONNX Runtime b1 / b16 ms/img", $"{F(r.OnnxRuntimeBatch1Ms, "0.00")} / {F(r.OnnxRuntimeBatch16Ms, "0.00")}", F(r.OrtVsTorch, "0.00"), "< 1 (vs TorchSharp b1)");
        table.AddRow("DigitDetector b1 from path ms/img", F(r.PredictionEngineBatch1Ms, "0.00"), F(r.EngineVsOrt, "0.00"), "(vs ORT b1)");
        table.AddRow("batched pipeline b16 ms/img", F(r.BatchedPipelineBatch16Ms, "0.00"), "", "");
        if (r.Serving is { } s)
        {
            table.AddRow("PredictionEngine b1 from MLImage ms", F(s.FromImageMs, "0.00"), F(s.FromImageVsOnnxRuntime, "0.00"), "<= 1.10 (vs ORT b1, same tensor)");
            table.AddRow("  PNG decode / letterbox / NMS / ML.NET ms", $"{F(s.DecodeMs, "0.00")} / {F(s.PrepareMs, "0.000")} / {F(s.PostProcessMs, "0.000")} / {F(s.MlNetOverheadMs, "0.00")}", "", "");
            table.AddRow("ORT b16 vs b1, per image", $"{F(s.OnnxRuntimeBatch16MsPerImage, "0.00")} ms", F(s.Batch16VsBatch1PerImage, "0.00"), "< 1");
        }
        if (r.Sheets is { } sheets)
        {
            foreach (var m in sheets.Modes)
                table.AddRow($"sheet {sheets.Width}x{sheets.Height} {m.Mode} ms ({m.Views} views)", $"{F(m.MsPerSheet)} ({F(m.MsPerMegapixel)} ms/MP)", F(m.VsLetterbox, "0.0"), m.Mode == "letterbox" ? "" : "(vs letterbox)");
            table.AddRow($"sheet default ({sheets.DefaultMode}) from file ms", F(sheets.DefaultFromFileMs), "", "< 150");
        }
        table.AddRow("service, 16 clients: p50 / p99 ms (requests/s)", $"{F(r.ServiceP50Ms, "0.0")} / {F(r.ServiceP99Ms, "0.0")} ({F(r.ServiceRequestsPerSecond)})", "", "");
        table.AddRow("evaluation, 500 images (s)", F(r.Evaluation500ImagesSeconds, "0.000"), "", "< 1");
        table.AddRow("peak working set train / infer (MiB)", $"{F(r.PeakTrainingMiB, "0")} / {F(r.PeakInferenceMiB, "0")}", "", "");
        table.AddRow("total time (s)", F(r.TotalSeconds), "", r.Quick ? "< 120" : "< 600");
        return table;
    }
}
