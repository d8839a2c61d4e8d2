using System.Text.Json;
using DigitMl.Experiments.Cli;
using DigitMl.Tests.TestData;
using Spectre.Console.Cli;

namespace DigitMl.Tests.Bench;

public sealed class BenchCommandTests
{
    [Test]
    public void QuickBenchOnTheTinyScaleWritesEveryFigure()
    {
        string dir = TinyScenes.NewTempDirectory("bench");
        string json = Path.Combine(dir, "bench.json");
        var app = new CommandApp();
        app.Configure(DigitMlApp.Configure);

        int exit = app.Run(["bench", "--quick", "--scale", "tiny", "--imgsz", "64", "--batch", "4", "--json", json]);

        Assert.That(exit, Is.Zero);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var root = document.RootElement;
        foreach (string key in new[]
        {
            "matmul_gflops", "conv3x3_gflops", "model_train_images_per_s", "roofline_train_images_per_s", "trainer_images_per_s",
            "torchsharp_b1_ms", "onnxruntime_b1_ms", "prediction_engine_b1_ms", "batched_pipeline_b16_ms_per_image",
            "evaluation_500_images_s", "peak_working_set_training_mib", "peak_working_set_inference_mib",
        })
        {
            Assert.That(root.GetProperty(key).GetDouble(), Is.GreaterThan(0), key);
        }
        Assert.That(root.GetProperty("trainer_data_wait_fraction").GetDouble(), Is.InRange(0, 1));
        Assert.That(root.GetProperty("scale").GetString(), Is.EqualTo("tiny"));

        // float32 and bf16 side by side, each against its own peak; the step profile; two trainer processes at once
        foreach (string key in new[]
        {
            "matmul_bf16_gflops", "conv3x3_bf16_gflops", "conv_peak_fp32_gflops", "conv_peak_bf16_gflops",
            "model_train_images_per_s_fp32", "model_train_images_per_s_bf16", "model_train_images_per_s_fp32_nchw",
            "model_train_images_per_s_bf16_nchw", "model_fp32_vs_conv_peak", "model_bf16_vs_conv_peak",
            "trainer_images_per_s_fp32", "trainer_images_per_s_bf16", "trainer_bf16_vs_fp32", "trainer_fp32_vs_model", "trainer_bf16_vs_model",
            "one_trainer_images_per_s", "two_trainers_images_per_s", "two_trainers_vs_one",
            "model_convs_ms_fp32", "model_convs_ms_bf16", "model_convs_gflops_per_batch", "model_convs_bf16_vs_fp32",
            "model_convs_fp32_vs_conv_peak", "model_convs_bf16_vs_conv_peak", "model_convs_share_fp32", "model_convs_share_bf16",
        })
        {
            Assert.That(root.GetProperty(key).GetDouble(), Is.GreaterThan(0), key);
        }
        using (var tiny = new DigitMl.Modeling.YoloV8Model(DigitMl.Modeling.YoloV8Scale.Tiny, 10, priorImageSize: 64))
            Assert.That(root.GetProperty("model_convs_count").GetInt32(), Is.EqualTo(tiny.modules().OfType<TorchSharp.Modules.Conv2d>().Count(c => c.weight!.requires_grad)), "every trained convolution of the model");
        Assert.That(root.GetProperty("precision").GetString(), Is.EqualTo(DigitMl.Training.TrainingPrecision.Resolve("auto").Name));
        int cores = DigitMl.Training.Native.CpuBudget.AvailableCores;
        Assert.That(root.GetProperty("two_trainers_threads").EnumerateArray().Select(t => t.GetInt32()).Order(),
            Is.EqualTo(new[] { DigitMl.Training.Threading.CoreShare.Share(cores, 2, 1), DigitMl.Training.Threading.CoreShare.Share(cores, 2, 0) }),
            "the two trainer processes split the cores");
        foreach (string precision in new[] { "fp32", "bf16" })
        {
            var phases = root.GetProperty("trainer_step_profile").GetProperty(precision);
            double share = phases.EnumerateObject().Sum(p => p.Value.GetProperty("fraction").GetDouble());
            Assert.That(share, Is.EqualTo(1).Within(1e-6), precision);
            Assert.That(phases.GetProperty("forward").GetProperty("ms_per_batch").GetDouble(), Is.GreaterThan(0), precision);
            Assert.That(phases.GetProperty("backward").GetProperty("ms_per_batch").GetDouble(), Is.GreaterThan(0), precision);
        }
    }
}
