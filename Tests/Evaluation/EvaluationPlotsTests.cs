using System.Globalization;
using System.Text;
using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Scoring;
using SkiaSharp;

namespace DigitMl.Tests.Evaluation;

public sealed class EvaluationPlotsTests
{
    private static readonly string[] Names = Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("digitml-plots-").FullName;

    [TearDown]
    public void RemoveFolder()
    {
        if (Environment.GetEnvironmentVariable("DIGITML_KEEP_PLOTS") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            foreach (var f in Directory.GetFiles(_dir, "*.png")) File.Copy(f, Path.Combine(keep, Path.GetFileName(f)), overwrite: true);
        }
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Decodes the PNG and checks its size and that it is not one flat colour (grey-level variance).</summary>
    private static void AssertPicture(string path, int width, int height)
    {
        Assert.That(File.Exists(path), Is.True, path);
        var bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), $"{path}: PNG signature");
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.That(bitmap, Is.Not.Null, path);
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((width, height)), path);
        double sum = 0, sumSq = 0;
        int n = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                double g = (c.Red + c.Green + c.Blue) / 3.0;
                sum += g;
                sumSq += g * g;
                n++;
            }
        double variance = (sumSq / n) - ((sum / n) * (sum / n));
        Assert.That(variance, Is.GreaterThan(50), $"{path} looks blank (grey variance {variance:F1})");
    }

    [Test]
    public void EvaluationFiguresAreWritten()
    {
        var (truth, predictions) = SyntheticDetections.Generate(120, 6, Names, 7);
        var metrics = DetectionEvaluator.Evaluate(truth, predictions, Names);
        var paths = EvaluationPlots.WriteAll(metrics, _dir);
        Assert.That(paths.Select(Path.GetFileName), Is.EqualTo(EvaluationPlots.FileNames));
        foreach (var path in paths.Take(4)) AssertPicture(path, 1000, 700);
        foreach (var path in paths.Skip(4)) AssertPicture(path, 900, 800);
    }

    [Test]
    public void FiguresOfADetectorThatFoundNothingAreStillDrawn()
    {
        // early training epochs: no detections at all, or no ground truth in the split
        IReadOnlyList<LabeledBox>[] truth = [[new(3, new BoundingBox(0, 0, 10, 10))], []];
        var nothing = DetectionEvaluator.Evaluate(truth, [[], []], Names);
        var noTruth = DetectionEvaluator.Evaluate([[], []], [[new Detection(1, "1", 0.5f, new BoundingBox(0, 0, 4, 4))], []], Names);
        foreach (var (metrics, sub) in new[] { (nothing, "nothing"), (noTruth, "no-truth") })
        {
            var paths = EvaluationPlots.WriteAll(metrics, Path.Combine(_dir, sub));
            Assert.That(paths.All(File.Exists), Is.True, sub);
        }
    }

    [Test]
    public void TrainingCurvesAreDrawnFromResultsCsv()
    {
        var csv = new StringBuilder("epoch,train/box_loss,train/cls_loss,train/dfl_loss,metrics/precision,metrics/recall,metrics/mAP50,metrics/mAP50-95,lr/pg0\n");
        for (int e = 1; e <= 12; e++)
            csv.Append(CultureInfo.InvariantCulture, $"{e},{2.0 / e:F4},{3.0 / e:F4},{1.5 / e:F4},{1 - (1.0 / e):F4},{1 - (0.8 / e):F4},{1 - (0.9 / e):F4},{0.8 - (0.7 / e):F4},0.01\n");
        var csvPath = Path.Combine(_dir, "results.csv");
        File.WriteAllText(csvPath, csv.ToString());
        var png = Path.Combine(_dir, "results.png");
        TrainingCurvesPlot.Write(csvPath, png);
        AssertPicture(png, 5 * 400, 2 * 300); // 7 plotted columns (epoch and lr left out): 5 + 2
    }

    [Test]
    public void BadResultsCsvNamesFileAndLine()
    {
        var csvPath = Path.Combine(_dir, "results.csv");
        File.WriteAllText(csvPath, "epoch,a,b\n1,2,3\n2,3\n");
        Assert.That(() => TrainingCurvesPlot.Write(csvPath, Path.Combine(_dir, "r.png")),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("results.csv:3"));
    }

    [Test]
    public void PredictionGridDrawsImagesWithBoxes()
    {
        var samples = new List<YoloSample>();
        var predictions = new List<IReadOnlyList<Detection>>();
        var random = new Random(3);
        for (int i = 0; i < 5; i++)
        {
            var image = new RgbImage(64, 48);
            random.NextBytes(image.Pixels);
            var path = Path.Combine(_dir, $"img{i}.png");
            ImageEncoder.SavePng(image, path);
            samples.Add(new YoloSample(path, 64, 48, [], i % 2 == 0 ? 0 : 90));
            int w = i % 2 == 0 ? 64 : 48, h = i % 2 == 0 ? 48 : 64;
            predictions.Add([new Detection(i, Names[i], 0.9f, new BoundingBox(4, 4, w / 2f, h / 2f)), new Detection(1, Names[1], 0.1f, new BoundingBox(0, 0, 8, 8))]);
        }
        // rotated samples: the sample's size is the turned image's
        for (int i = 1; i < 5; i += 2) samples[i] = samples[i] with { Width = 48, Height = 64 };
        var png = Path.Combine(_dir, "val_predictions.png");
        PredictionGridPlot.Write(samples, predictions, Names, png, cellSize: 128);
        AssertPicture(png, 3 * 128, 2 * 128);
    }
}
