using DigitMl;
using DigitMl.Data;
using DigitMl.Scoring;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DigitMl.Tests.Scoring;

public sealed class DetectionScoringChainTests
{
    // Random weights: a low threshold so that every image has detections to compare.
    private static readonly ScoringOptions LowConfidence = new() { Confidence = 0.05f, MaxDetections = 50, Inference = InferenceMode.Letterbox };

    [Test]
    public void ChainMatchesDecodeLetterboxOnnxRuntimeAndNmsDoneByHand()
    {
        var ml = new MLContext(seed: 1);
        var chain = DetectionScoringChain.Create(ml, ScoringFixtures.OnnxPath, LowConfidence);
        var rows = Score(ml, chain, ScoringFixtures.Images);

        using var session = new InferenceSession(ScoringFixtures.OnnxPath);
        int total = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            var image = ImageDecoder.Decode(ScoringFixtures.Images[i]);
            var letterboxed = Letterbox.Apply(image, ScoringFixtures.ImageSize, ScoringFixtures.ImageSize);
            var input = new DenseTensor<float>([1, 3, ScoringFixtures.ImageSize, ScoringFixtures.ImageSize]);
            Letterbox.ToChwFloats(letterboxed.Image, input.Buffer.Span);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("images", input)]);
            var expected = YoloOutputDecoder.Decode(results[0].AsTensor<float>().ToArray(), 10, LowConfidence.Thresholds);

            var row = rows[i];
            Assert.That(row.PredictedLabels, Is.EqualTo(expected.Select(e => ScoringFixtures.Names[e.ClassId]).ToArray()), $"image {i}");
            Assert.That(row.Scores, Is.EqualTo(expected.Select(e => e.Score).ToArray()).Within(1e-5f));
            var boxes = expected.SelectMany(e =>
            {
                var b = letterboxed.ToOriginal(e.Box);
                return new[] { b.X0, b.Y0, b.X1, b.Y1 };
            }).ToArray();
            Assert.That(row.PredictedBoxes, Is.EqualTo(boxes).Within(1e-3f));
            total += row.Scores.Length;
        }

        Assert.That(total, Is.GreaterThan(0), "the fixture should produce detections at conf 0.05");
    }

    [Test]
    public void SavedChainReloadsInAFreshContextWithIdenticalPredictions()
    {
        var ml = new MLContext(seed: 1);
        var chain = DetectionScoringChain.Create(ml, ScoringFixtures.OnnxPath, new ScoringOptions { Confidence = 0.7f, IoU = 0.5f });
        var data = ml.Data.LoadFromEnumerable(ScoringFixtures.Images.Select(p => new DetectionScoringChain.ImagePathRow { ImagePath = p }));
        string zip = Path.Combine(ScoringFixtures.Directory, $"chain-{Guid.NewGuid():N}.zip");
        ml.Model.Save(chain, data.Schema, zip);
        var before = Score(ml, chain, ScoringFixtures.Images);

        var fresh = new MLContext(seed: 2);
        DetectionScoringChain.Register(fresh);
        var loaded = fresh.Model.Load(zip, out var schema);
        Assert.That(schema.GetColumnOrNull("ImagePath"), Is.Not.Null);
        var after = Score(fresh, loaded, ScoringFixtures.Images);
        // the saved (non-default) threshold survived the reload: the default 0.25 would let lower scores through
        Assert.That(after.SelectMany(r => r.Scores), Is.Not.Empty.And.All.GreaterThan(0.7f));
        var withDefaults = Score(ml, DetectionScoringChain.Create(ml, ScoringFixtures.OnnxPath), ScoringFixtures.Images);
        Assert.That(withDefaults.SelectMany(r => r.Scores), Has.Some.LessThan(0.7f));
        for (int i = 0; i < before.Count; i++)
        {
            Assert.That(after[i].PredictedLabels, Is.EqualTo(before[i].PredictedLabels));
            Assert.That(after[i].PredictedBoxes, Is.EqualTo(before[i].PredictedBoxes));
            Assert.That(after[i].Scores, Is.EqualTo(before[i].Scores));
        }
    }

    [Test]
    public void CatalogEntryPointGivesTheSameChain()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ScoringFixtures.Images.Select(p => new DetectionScoringChain.ImagePathRow { ImagePath = p }));
        var viaCatalog = ml.Detection().ScoreWithOnnx(ScoringFixtures.OnnxPath, LowConfidence).Fit(data);
        var direct = DetectionScoringChain.Create(ml, ScoringFixtures.OnnxPath, LowConfidence);
        var a = Score(ml, viaCatalog, ScoringFixtures.Images);
        var b = Score(ml, direct, ScoringFixtures.Images);
        Assert.That(a.Select(r => r.Scores), Is.EqualTo(b.Select(r => r.Scores)));
        Assert.That(a.Sum(r => r.Scores.Length), Is.GreaterThan(0));
    }

    [Test]
    public void ModelZipCarriesTheOnnxModelItself()
    {
        string folder = Path.Combine(ScoringFixtures.Directory, $"standalone-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        string onnx = Path.Combine(folder, "copy.onnx");
        File.Copy(ScoringFixtures.OnnxPath, onnx);
        string zip = Path.Combine(folder, "model.zip");
        DigitMl.Export.ModelPackage.WriteZip(onnx, zip, LowConfidence);
        File.Delete(onnx);

        using var detector = DigitDetector.Load(zip);
        using var reference = DigitDetector.Load(ScoringFixtures.OnnxPath, LowConfidence);
        Assert.That(detector.Detect(ScoringFixtures.Images[3]), Is.EqualTo(reference.Detect(ScoringFixtures.Images[3])));
    }

    [Test]
    public void OutputSchemaHasTheThreePredictionColumns()
    {
        var ml = new MLContext();
        var chain = DetectionScoringChain.Create(ml, ScoringFixtures.OnnxPath);
        var data = ml.Data.LoadFromEnumerable(Array.Empty<DetectionScoringChain.ImagePathRow>());
        var schema = chain.GetOutputSchema(data.Schema);
        Assert.That(schema["PredictedLabels"].Type.ToString(), Is.EqualTo("Vector<String>"));
        Assert.That(schema["PredictedBoxes"].Type.ToString(), Is.EqualTo("Vector<Single>"));
        Assert.That(schema["Scores"].Type.ToString(), Is.EqualTo("Vector<Single>"));
    }

    [Test]
    public void AnImageThatIsNotAnImageFailsWithItsPath()
    {
        string bad = Path.Combine(ScoringFixtures.Directory, "not-an-image.png");
        File.WriteAllText(bad, "hello");
        var ml = new MLContext();
        var chain = DetectionScoringChain.Create(ml, ScoringFixtures.OnnxPath);
        var error = Assert.Catch(() => Score(ml, chain, [bad]));
        Assert.That(error!.ToString(), Does.Contain("not-an-image.png"));
    }

    internal static List<ScoredRow> Score(MLContext ml, ITransformer chain, IReadOnlyList<string> paths)
    {
        var data = ml.Data.LoadFromEnumerable(paths.Select(p => new DetectionScoringChain.ImagePathRow { ImagePath = p }));
        return ml.Data.CreateEnumerable<ScoredRow>(chain.Transform(data), reuseRowObject: false).ToList();
    }

    internal sealed class ScoredRow
    {
        public string[] PredictedLabels { get; set; } = [];

        public float[] PredictedBoxes { get; set; } = [];

        public float[] Scores { get; set; } = [];
    }
}
