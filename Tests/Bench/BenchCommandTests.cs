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
    }
}
