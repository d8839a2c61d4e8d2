using DigitMl.Modeling;
using DigitMl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// The model ceiling: images/s of forward + detection loss + backward on tensors made once up front (no data
/// loading, no augmentation, no optimizer): the most the trainer can reach at this batch size and precision.
/// Given a real training batch (the trainer's own images and targets, <see cref="TrainBatchLoader"/>), the assigner
/// and loss see as many boxes as in training, so trainer / model measures only what the trainer adds.
/// </summary>
public static class ModelThroughput
{
    public static double TrainStepImagesPerSecond(BenchSettings settings, TrainingPrecision? precision = null) =>
        TrainStepImagesPerSecond(settings, [precision ?? TrainingPrecision.Float32])[0];

    /// <summary>
    /// Images/s of each precision (and layout), timed in turns (one step of each per round), so that a change in the
    /// machine's load touches every figure alike and their ratios stay fair on a shared machine.
    /// </summary>
    public static double[] TrainStepImagesPerSecond(BenchSettings settings, IReadOnlyList<TrainingPrecision> precisions, TrainBatch? batch = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(precisions);
        manual_seed(0);
        using var model = new YoloV8Model(settings.Scale, settings.NumClasses, priorImageSize: settings.ImageSize);
        model.train();
        var loss = new DetectionLoss(settings.NumClasses, model.Strides);
        using var scope = NewDisposeScope();
        var (images, targets, mask) = batch is null ? Synthetic(settings) : Real(batch);
        long b = images.shape[0];
        void Step(TrainingPrecision precision)
        {
            using var step = NewDisposeScope();
            model.zero_grad();
            var raw = TrainingPrecision.ToFloat32(model.forward(precision.PrepareInput(images)));
            using var result = loss.Compute(raw, targets, mask);
            result.Total.backward();
        }
        var samples = precisions.Select(_ => new double[settings.Repeats]).ToArray();
        for (int w = 0; w < settings.Warmup; w++)
            foreach (var precision in precisions) Step(precision);
        for (int r = 0; r < settings.Repeats; r++)
        {
            for (int p = 0; p < precisions.Count; p++)
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                Step(precisions[p]);
                samples[p][r] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }
        return [.. samples.Select(times => b / Timing.Median(times))];
    }

    /// <summary>Random images with three digit-sized boxes each (the rest of the 4 slots padding).</summary>
    private static (Tensor Images, Tensor Targets, Tensor Mask) Synthetic(BenchSettings settings)
    {
        int b = settings.BatchSize, s = settings.ImageSize;
        var images = rand(b, 3, s, s);
        var targets = zeros(b, 4, 5);
        var mask = zeros(b, 4);
        for (int i = 0; i < b; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                float x0 = 10 + (k * 45), y0 = 20 + (i % 5 * 10);
                using var row = tensor(new float[] { (i + k) % settings.NumClasses, x0, y0, x0 + 24, y0 + 36 });
                targets[i, k] = row;
                mask[i, k] = 1;
            }
        }
        return (images, targets, mask);
    }

    private static (Tensor Images, Tensor Targets, Tensor Mask) Real(TrainBatch batch) => (
        (TrainingPrecision.Float32 with { ChannelsLast = false }).InputFromPixels(tensor(batch.Pixels, [batch.Count, batch.ImageSize, batch.ImageSize, 3])),
        tensor(batch.Targets, [batch.Count, batch.MaxBoxes, 5]),
        tensor(batch.Mask, [batch.Count, batch.MaxBoxes]));

    /// <summary>Eval-mode forward + decode (no gradient) in ms per image.</summary>
    public static double EvalForwardMsPerImage(YoloV8Model model, int batch, int imageSize, BenchSettings settings)
    {
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var images = rand(batch, 3, imageSize, imageSize);
        int repeats = batch == 1 ? settings.LatencyCalls : settings.Repeats;
        double seconds = Timing.MedianSeconds(() =>
        {
            using var call = NewDisposeScope();
            model.Decode(model.forward(images));
        }, settings.Warmup, repeats);
        return seconds * 1000 / batch;
    }
}
