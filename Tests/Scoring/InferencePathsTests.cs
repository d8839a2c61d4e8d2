using DigitMl.Data;
using DigitMl.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DigitMl.Tests.Scoring;

/// <summary>Every inference path (chain, DigitDetector, OnnxBatchDetector) runs the one DetectionEngine on a real ONNX model.</summary>
public sealed class InferencePathsTests
{
    private static readonly ScoringOptions LowConfidence = new() { Confidence = 0.05f, MaxDetections = 100 };

    [Test]
    public void SmallImagesKeepTodaysPathAndTodaysDetections()
    {
        // today's path: the fixed-size export, letterboxed to the training size, NMS in letterbox pixels, boxes mapped back
        using var session = new InferenceSession(ScoringFixtures.FixedOnnxPath);
        using var detector = DigitDetector.Load(ScoringFixtures.OnnxPath, LowConfidence);
        using var batch = OnnxBatchDetector.Load(ScoringFixtures.OnnxPath, LowConfidence);
        var decoded = ScoringFixtures.SmallImages.Select(ImageDecoder.Decode).ToList();
        var batched = batch.Detect(decoded);
        int total = 0;
        for (int i = 0; i < decoded.Count; i++)
        {
            var letterboxed = Letterbox.Apply(decoded[i], ScoringFixtures.ImageSize, ScoringFixtures.ImageSize);
            var input = new DenseTensor<float>([1, 3, ScoringFixtures.ImageSize, ScoringFixtures.ImageSize]);
            Letterbox.ToChwFloats(letterboxed.Image, input.Buffer.Span);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("images", input)]);
            var expected = YoloOutputDecoder.Decode(results[0].AsTensor<float>().ToArray(), 10, LowConfidence.Thresholds)
                .Select(b => new Detection(b.ClassId, ScoringFixtures.Names[b.ClassId], b.Score, letterboxed.ToOriginal(b.Box)))
                .ToList();

            Assert.That(batch.Engine.Plan(decoded[i].Width, decoded[i].Height).Mode, Is.EqualTo(InferenceMode.Letterbox));
            Assert.That(detector.Detect(ScoringFixtures.SmallImages[i]), Is.EqualTo(expected), $"image {i}");
            Assert.That(batched[i], Is.EqualTo(expected), $"image {i}, batched");
            total += expected.Count;
        }

        Assert.That(total, Is.GreaterThan(0), "the fixture should produce detections at conf 0.05");
    }

    [TestCase(InferenceMode.Native)]
    [TestCase(InferenceMode.Tiles)]
    [TestCase(InferenceMode.Auto)]
    public void ChainDetectorAndBatchDetectorAgreeOnALargeImage(InferenceMode mode)
    {
        var options = LowConfidence with { Inference = mode };
        using var batch = OnnxBatchDetector.Load(ScoringFixtures.OnnxPath, options);
        var image = ImageDecoder.Decode(ScoringFixtures.LargeImage);
        var expected = batch.Detect([image])[0];
        Assert.That(expected, Is.Not.Empty);
        Assert.That(expected.All(d => d.Box.X0 >= 0 && d.Box.Y0 >= 0 && d.Box.X1 <= image.Width && d.Box.Y1 <= image.Height), Is.True);
        var plan = batch.Engine.Plan(image.Width, image.Height);
        Assert.That(plan.Mode, Is.EqualTo(mode == InferenceMode.Auto ? InferenceMode.Native : mode));

        using var detector = DigitDetector.Load(ScoringFixtures.OnnxPath, options);
        Assert.That(detector.Detect(ScoringFixtures.LargeImage), Is.EqualTo(expected));

        var ml = new MLContext(seed: 1);
        var chain = DetectionScoringChain.Create(ml, ScoringFixtures.OnnxPath, options);
        var row = DetectionScoringChainTests.Score(ml, chain, [ScoringFixtures.LargeImage])[0];
        Assert.That(DetectionScoringChain.ToDetections(row.PredictedLabels, row.PredictedBoxes, row.Scores, ScoringFixtures.Names), Is.EqualTo(expected));
    }

    [Test]
    public void ALoneModelZipAndTheBatchedPathGiveTheSameMultiLabelDetections()
    {
        // evaluate --model scores a lone model.zip through its chain and an artifact with model.onnx in batches: same detections
        var validation = new ScoringOptions { Confidence = 0.01f, MultiLabel = true };
        string zip = Path.Combine(ScoringFixtures.Directory, $"multi-{Guid.NewGuid():N}.zip");
        DigitMl.Export.ModelPackage.WriteZip(ScoringFixtures.OnnxPath, zip);
        using var fromZip = DigitDetector.Load(zip, validation);
        using var batch = OnnxBatchDetector.Load(ScoringFixtures.OnnxPath, validation);
        var paths = ScoringFixtures.Images.Append(ScoringFixtures.LargeImage).ToList();
        var batched = batch.DetectFiles(paths);
        for (int i = 0; i < paths.Count; i++)
            Assert.That(fromZip.Detect(paths[i]), Is.EqualTo(batched[i]), paths[i]);
        // multi-label: some anchor holds two classes above the threshold
        Assert.That(batched.Any(found => found.GroupBy(d => d.Box).Any(g => g.Count() > 1)), Is.True);
    }

    [Test]
    public void TheInferenceModeIsSavedInModelZip()
    {
        var tiles = LowConfidence with { Inference = InferenceMode.Tiles, TileOverlap = 0.4f };
        var ml = new MLContext(seed: 1);
        string zip = Path.Combine(ScoringFixtures.Directory, $"tiles-{Guid.NewGuid():N}.zip");
        ml.Model.Save(DetectionScoringChain.Create(ml, ScoringFixtures.OnnxPath, tiles), null, zip);

        using var fromZip = DigitDetector.Load(zip);
        Assert.That(fromZip.Settings.Inference, Is.EqualTo(tiles.InferenceSettings));
        using var batch = OnnxBatchDetector.Load(ScoringFixtures.OnnxPath, tiles);
        using var native = OnnxBatchDetector.Load(ScoringFixtures.OnnxPath, LowConfidence with { Inference = InferenceMode.Native });
        var image = ImageDecoder.Decode(ScoringFixtures.LargeImage);
        var viaTiles = batch.Detect([image])[0];
        Assert.That(fromZip.Detect(ScoringFixtures.LargeImage), Is.EqualTo(viaTiles));
        Assert.That(native.Detect([image])[0], Is.Not.EqualTo(viaTiles), "sanity: the modes differ on this image");
    }

    [Test]
    public void ATurnAwareModelReportsThePageTurnInEveryPath()
    {
        using var batch = OnnxBatchDetector.Load(ScoringFixtures.TurnAwareOnnxPath, LowConfidence);
        Assert.That(batch.Info.Orientations, Is.EqualTo(4));
        var images = ScoringFixtures.Images.Append(ScoringFixtures.LargeImage).ToList();
        var pages = batch.DetectPages(images.Select(ImageDecoder.Decode).ToList());
        Assert.That(pages.Select(p => p.PageTurn), Is.All.AnyOf(0, 90, 180, 270));
        Assert.That(pages.SelectMany(p => p.Detections), Is.Not.Empty);

        using var detector = DigitDetector.Load(ScoringFixtures.TurnAwareOnnxPath, LowConfidence);
        for (int i = 0; i < images.Count; i++)
            Assert.That(detector.DetectPage(images[i]), Is.EqualTo(pages[i]).Using<PageDetections>(SamePage), images[i]);

        using var off = DigitDetector.Load(ScoringFixtures.TurnAwareOnnxPath, LowConfidence with { PageOrientation = PageOrientationMode.Off });
        Assert.That(off.DetectPage(images[0]).PageTurn, Is.Null);
        using var plain = DigitDetector.Load(ScoringFixtures.OnnxPath, LowConfidence);
        Assert.That(plain.DetectPage(images[0]).PageTurn, Is.Null);

        var ml = new MLContext(seed: 1);
        var chain = DetectionScoringChain.Create(ml, ScoringFixtures.TurnAwareOnnxPath, LowConfidence);
        var column = chain.Transform(ml.Data.LoadFromEnumerable(images.Select(p => new DetectionScoringChain.ImagePathRow { ImagePath = p })))
            .GetColumn<int>(ScoringColumns.PageTurn).ToList();
        Assert.That(column, Is.EqualTo(pages.Select(p => p.PageTurn!.Value)));
    }

    private static bool SamePage(PageDetections a, PageDetections b) => a.PageTurn == b.PageTurn && a.Detections.SequenceEqual(b.Detections);
}
