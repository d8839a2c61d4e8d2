using DigitMl.Data;
using DigitMl.Modeling;
using DigitMl.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Training;

/// <summary>
/// TorchSharp inference over samples (used by validation and as the scorer until the ONNX chain takes over):
/// decode + rotate (<see cref="SampleImages.Load"/>), the shared <see cref="Letterbox"/>, forward, decode,
/// class-aware NMS, boxes back to original image pixels.
/// </summary>
public static class TrainingPredictor
{
    public static IReadOnlyList<IReadOnlyList<Detection>> Predict(YoloV8Model model, IReadOnlyList<YoloSample> samples, int imgsz,
        float conf, float iou, int maxDet) => Predict(model, samples, imgsz, conf, iou, maxDet, names: null);

    /// <param name="names">class names for <see cref="Detection.Label"/> (class index as text when null).</param>
    public static IReadOnlyList<IReadOnlyList<Detection>> Predict(YoloV8Model model, IReadOnlyList<YoloSample> samples, int imgsz,
        float conf, float iou, int maxDet, IReadOnlyList<string>? names, int batchSize = 16)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samples);
        var results = new List<IReadOnlyList<Detection>>(samples.Count);
        for (int start = 0; start < samples.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, samples.Count - start);
            var letterboxes = new LetterboxResult[count];
            var pixels = new float[count * 3 * imgsz * imgsz];
            Parallel.For(0, count, i =>
            {
                letterboxes[i] = Letterbox.Apply(SampleImages.Load(samples[start + i]), imgsz, imgsz);
                Letterbox.ToChwFloats(letterboxes[i].Image, pixels.AsSpan(i * 3 * imgsz * imgsz, 3 * imgsz * imgsz));
            });
            foreach (var detections in PredictLetterboxed(model, pixels, count, imgsz, letterboxes, conf, iou, maxDet, names))
                results.Add(detections);
        }
        return results;
    }

    /// <summary>Runs the model on letterboxed CHW pixels ([count, 3, imgsz, imgsz] flattened) and post-processes each image.</summary>
    internal static List<List<Detection>> PredictLetterboxed(YoloV8Model model, float[] pixels, int count, int imgsz, LetterboxResult[] letterboxes,
        float conf, float iou, int maxDet, IReadOnlyList<string>? names)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var device = model.parameters().First().device;
            // float32, channels-last (the faster layout for libtorch's convolutions, TrainingPrecision)
            var input = TrainingPrecision.Float32.PrepareInput(tensor(pixels, [count, 3, imgsz, imgsz]).to(device));
            var decoded = model.Decode(model.forward(input)).to(float32).cpu().contiguous();
            return Postprocess(decoded, model.NumClasses, letterboxes, conf, iou, maxDet, names);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>[B, 4 + nc, A] decoded output (CPU, float32, contiguous) to detections per image.</summary>
    internal static List<List<Detection>> Postprocess(Tensor decoded, int numClasses, LetterboxResult[] letterboxes, float conf, float iou, int maxDet, IReadOnlyList<string>? names)
    {
        int batch = (int)decoded.shape[0], anchors = (int)decoded.shape[2];
        var all = decoded.data<float>().ToArray();
        int perImage = (4 + numClasses) * anchors;
        var results = new List<Detection>[batch];
        var thresholds = new DetectionThresholds(conf, iou, maxDet);
        Parallel.For(0, batch, b =>
            results[b] = YoloOutputDecoder.Decode(all.AsSpan(b * perImage, perImage), numClasses, thresholds, multiLabel: true)
                    .Select(d => new Detection(d.ClassId, LabelOf(d.ClassId, names), d.Score, letterboxes[b].ToOriginal(d.Box)))
                    .ToList());
        return [.. results];
    }

    private static string LabelOf(int classId, IReadOnlyList<string>? names) =>
        names is not null && classId < names.Count ? names[classId] : classId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
