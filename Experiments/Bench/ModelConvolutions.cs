using System.Diagnostics;
using DigitMl.Modeling;
using DigitMl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// Every convolution of the model, each alone at the shape it has in the model at the bench's size and batch:
/// forward and backward (the weight's gradient, and the input's except for the first convolution, whose input is
/// the image), in float32 and in bf16 with each precision's layout, timed in turns and summed over the model.
/// What the convolution kernels give at this model's own shapes bounds the model and the trainer: the bf16 gain of
/// the whole step cannot beat the convolutions' own much (the rest of the step gains less), nor can the model's
/// GFLOP/s exceed its convolutions'.
/// </summary>
public static class ModelConvolutions
{
    /// <param name="Count">convolutions in one forward pass</param>
    /// <param name="GFlopsPerBatch">their forward + backward GFLOPs for one batch</param>
    public sealed record Result(int Count, double Fp32Ms, double Bf16Ms, double GFlopsPerBatch)
    {
        public double Bf16VsFp32 => Fp32Ms / Bf16Ms;

        public double Fp32GFlops => GFlopsPerBatch / (Fp32Ms / 1000);

        public double Bf16GFlops => GFlopsPerBatch / (Bf16Ms / 1000);
    }

    private sealed record Convolution(Conv2d Conv, long[] InputShape, bool IsFirst);

    public static Result Measure(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        manual_seed(0);
        using var model = new YoloV8Model(settings.Scale, settings.NumClasses, priorImageSize: settings.ImageSize);
        var convolutions = new List<Convolution>();
        using (no_grad())
        using (NewDisposeScope())
        using (MixedPrecision.ObserveConvolutions((conv, input) => convolutions.Add(new Convolution(conv, input.shape, convolutions.Count == 0))))
            model.forward(randn(settings.BatchSize, 3, settings.ImageSize, settings.ImageSize));

        var precisions = new[] { TrainingPrecision.Float32, TrainingPrecision.BFloat16 };
        double[] totalMs = new double[precisions.Length];
        double gflops = 0;
        foreach (var convolution in convolutions)
        {
            using var scope = NewDisposeScope();
            var steps = precisions.Select(p => Step(convolution, p)).ToArray();
            var samples = steps.Select(_ => new double[settings.Repeats]).ToArray();
            for (int w = 0; w < settings.Warmup; w++)
                foreach (var step in steps) step.Run();
            for (int r = 0; r < settings.Repeats; r++)
            {
                for (int p = 0; p < steps.Length; p++)
                {
                    long start = Stopwatch.GetTimestamp();
                    steps[p].Run();
                    samples[p][r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }
            for (int p = 0; p < steps.Length; p++) totalMs[p] += Timing.Median(samples[p]);
            gflops += steps[0].GFlops;
        }
        return new Result(convolutions.Count, totalMs[0], totalMs[1], gflops);
    }

    private sealed record TimedStep(Action Run, double GFlops);

    /// <summary>One forward + backward of the convolution on tensors made once, as the model runs it in this precision.</summary>
    private static TimedStep Step(Convolution convolution, TrainingPrecision precision)
    {
        var conv = convolution.Conv;
        var input = precision.PrepareInput(randn(convolution.InputShape));
        if (!convolution.IsFirst) input.requires_grad_(true);
        // float32 master weights cast per call, as MixedPrecision.Conv does (the cast's backward is part of the cost)
        var weight = randn(conv.weight.shape).requires_grad_(true);
        var bias = conv.bias is null ? null : zeros(conv.bias.shape).requires_grad_(true);
        var padding = conv.padding ?? throw new NotSupportedException("explicit padding expected");
        Tensor Forward() => nn.functional.conv2d(input, weight.to_type(precision.DType), bias?.to_type(precision.DType), conv.stride, padding, conv.dilation, conv.groups);
        long[] outputShape;
        using (no_grad())
        using (var probe = Forward())
            outputShape = probe.shape;
        var kernel = conv.weight.shape;
        double macs = (double)outputShape[0] * outputShape[1] * outputShape[2] * outputShape[3] * kernel[1] * kernel[2] * kernel[3];
        double gflops = 2 * macs * (convolution.IsFirst ? 2 : 3) / 1e9;
        void Run()
        {
            using var step = NewDisposeScope();
            var output = Forward();
            output.backward([ones_like(output)]);
            input.grad?.zero_();
            weight.grad?.zero_();
            bias?.grad?.zero_();
        }
        return new TimedStep(Run, gflops);
    }
}
