using DigitMl.Data;

namespace DigitMl.Training;

/// <summary>
/// Validation images decoded and letterboxed once (they do not change between epochs), in batches ready for the
/// model, with their targets in letterbox pixels (for the validation loss) and ground truth in original pixels.
/// </summary>
internal sealed class ValidationSet
{
    private ValidationSet(IReadOnlyList<YoloSample> samples, List<TrainBatch> batches, LetterboxResult[] letterboxes)
    {
        Samples = samples;
        Batches = batches;
        Letterboxes = letterboxes;
    }

    public IReadOnlyList<YoloSample> Samples { get; }

    public IReadOnlyList<TrainBatch> Batches { get; }

    public LetterboxResult[] Letterboxes { get; }

    public IReadOnlyList<IReadOnlyList<LabeledBox>> GroundTruth => [.. Samples.Select(s => s.Objects)];

    public static ValidationSet Build(IReadOnlyList<YoloSample> samples, int imageSize, int batchSize)
    {
        var letterboxes = new LetterboxResult[samples.Count];
        int plane = 3 * imageSize * imageSize;
        var batches = new List<TrainBatch>();
        for (int start = 0; start < samples.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, samples.Count - start);
            var pixels = new byte[count * plane];
            Parallel.For(0, count, i =>
            {
                var lb = Letterbox.Apply(SampleImages.Load(samples[start + i]), imageSize, imageSize);
                lb.Image.Pixels.CopyTo(pixels.AsSpan(i * plane, plane));
                // keep the geometry, drop the pixels
                letterboxes[start + i] = lb with { Image = new RgbImage(1, 1) };
            });
            int maxBoxes = 0;
            for (int i = 0; i < count; i++) maxBoxes = Math.Max(maxBoxes, samples[start + i].Objects.Count);
            var targets = new float[count * maxBoxes * 5];
            var mask = new float[count * maxBoxes];
            for (int i = 0; i < count; i++)
            {
                var objects = samples[start + i].Objects;
                for (int j = 0; j < objects.Count; j++)
                {
                    var box = letterboxes[start + i].ToLetterbox(objects[j].Box);
                    int t = ((i * maxBoxes) + j) * 5;
                    targets[t] = objects[j].ClassId;
                    targets[t + 1] = box.X0;
                    targets[t + 2] = box.Y0;
                    targets[t + 3] = box.X1;
                    targets[t + 4] = box.Y1;
                    mask[(i * maxBoxes) + j] = 1;
                }
            }
            batches.Add(new TrainBatch(count, imageSize, maxBoxes, pixels, targets, mask));
        }
        return new ValidationSet(samples, batches, letterboxes);
    }
}
