using DigitMl.Data;

namespace DigitMl.Augmentation.Rotation;

/// <summary>Writes samples as image + label files in parallel: originals copied byte for byte, turned ones as PNG.</summary>
internal static class SampleFileWriter
{
    /// <summary>One file to write: the sample and the stem it gets in <c>images/&lt;split&gt;</c> and <c>labels/&lt;split&gt;</c>.</summary>
    public readonly record struct Job(YoloSample Sample, string ImagesDir, string LabelsDir, string Stem);

    public static void WriteAll(IReadOnlyList<Job> jobs, IProgress<DatasetWriteProgress>? progress, CancellationToken ct)
    {
        foreach (var dir in jobs.SelectMany(j => new[] { j.ImagesDir, j.LabelsDir }).Distinct())
            Directory.CreateDirectory(dir);
        int done = 0;
        var options = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.ForEach(jobs, options, job =>
        {
            Write(job);
            int now = Interlocked.Increment(ref done);
            if (now % 50 == 0 || now == jobs.Count) progress?.Report(new DatasetWriteProgress(now, jobs.Count));
        });
    }

    private static void Write(Job job)
    {
        var sample = job.Sample;
        string labelPath = Path.Combine(job.LabelsDir, job.Stem + ".txt");
        if (sample.RotationDegrees == 0)
        {
            File.Copy(sample.ImagePath, Path.Combine(job.ImagesDir, job.Stem + Path.GetExtension(sample.ImagePath)), overwrite: true);
            // the original label file as it is when it exists (byte-identical copy), else the objects as read
            string source = ImageFileFormats.LabelPathFor(sample.ImagePath);
            if (File.Exists(source)) File.Copy(source, labelPath, overwrite: true);
            else File.WriteAllText(labelPath, YoloLabelText.Format(sample));
            return;
        }
        var image = SampleImages.Load(sample);
        if (image.Width != sample.Width || image.Height != sample.Height)
            throw new InvalidDataException(
                $"{sample.ImagePath}: image turned by {sample.RotationDegrees} is {image.Width}x{image.Height}, the sample says {sample.Width}x{sample.Height}");
        File.WriteAllBytes(Path.Combine(job.ImagesDir, job.Stem + ".png"), ImageEncoder.EncodePng(image));
        File.WriteAllText(labelPath, YoloLabelText.Format(sample));
    }
}
