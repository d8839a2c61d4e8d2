using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Commands;
using DigitMl.Modeling;
using static TorchSharp.torch;

namespace DigitMl.Tests.Modeling;

public sealed class ModelSummaryTests
{
    [Test]
    public void NanoAt640HasTheReferenceParametersAndGFlops()
    {
        var (parameters, gflops) = ModelSummary.Compute(YoloV8Scale.N, 80, 640);
        Assert.That(parameters, Is.EqualTo(3_157_200));
        Assert.That(gflops, Is.EqualTo(8.7).Within(3).Percent);
    }

    [Test]
    public void GFlopsScaleWithTheImageArea()
    {
        var at640 = ModelSummary.Compute(YoloV8Scale.N, 80, 640);
        var at320 = ModelSummary.Compute(YoloV8Scale.N, 80, 320);
        Assert.That(at640.GFlops / at320.GFlops, Is.EqualTo(4.0).Within(1e-9));
        Assert.That(at640.Layers[0].GFlops, Is.EqualTo(2.0 * 27 * 16 * 320 * 320 / 1e9).Within(1e-12));
    }

    [Test]
    public void AnalyticShapesMatchARealForwardOnANonSquareInput()
    {
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 5);
        model.eval();
        var summary = ModelSummary.Compute(model, 96, 64);
        using var scope = NewDisposeScope();
        var raw = model.forward(zeros(1, 3, 96, 64));
        int[] headInputs = [15, 18, 21];
        for (int level = 0; level < 3; level++)
        {
            var shape = summary.Layers[headInputs[level]].Output;
            Assert.That(new[] { shape.Height, shape.Width }, Is.EqualTo(raw[level].shape.Skip(2).ToArray()));
        }
        var decoded = model.Decode(raw);
        Assert.That(summary.Layers[22].Output, Is.EqualTo(new FeatureShape(4 + 5, 1, decoded.shape[2])));
        Assert.That(summary.Parameters, Is.EqualTo(model.parameters().Sum(p => p.numel())));
    }

    [Test]
    public void InfoCommandPrintsParametersAndGFlops()
    {
        var original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        int exitCode;
        try
        {
            exitCode = DigitMlApp.Run(["info", "--scale", "n", "--nc", "80", "--imgsz", "640"]);
        }
        finally
        {
            Console.SetOut(original);
        }
        string text = captured.ToString();
        Assert.That(exitCode, Is.EqualTo(0), text);
        Assert.That(text, Does.Contain("parameters: 3157200"));
        Assert.That(text, Does.Contain("GFLOPs: 8.7"));
        Assert.That(text, Does.Contain(" 22 [15, 18, 21]").And.Contain("1x84x8400"));
        Assert.That(InfoCommand.Format(ModelSummary.Compute(YoloV8Scale.Tiny, 2, 64), withLayers: false).Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(3));
    }
}
