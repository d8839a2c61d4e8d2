using DigitMl.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Tests.Scoring;

/// <summary>The chain takes ML.NET's own image column (MLImage) as well as a path column, with any column names.</summary>
public sealed class MLImageInputTests
{
    private static readonly ScoringOptions Options = new() { Confidence = 0.05f, MaxDetections = 50 };

    [Test]
    public void PathLoadImagesAndAnMLImageFromBytesGiveTheSameDetections()
    {
        var ml = new MLContext(seed: 1);
        var paths = ScoringFixtures.Images.Append(ScoringFixtures.LargeImage).ToList();
        var pathRows = ml.Data.LoadFromEnumerable(paths.Select(p => new DetectionScoringChain.ImagePathRow { ImagePath = p }));
        var fromPaths = ml.Detection().ScoreWithOnnx(ScoringFixtures.OnnxPath, Options).Fit(pathRows).Transform(pathRows);

        // LoadImages makes the MLImage column; the chain is fitted behind it
        var loaded = ml.Transforms.LoadImages("Photo", imageFolder: null, inputColumnName: "ImagePath").Fit(pathRows).Transform(pathRows);
        var fromLoadImages = ml.Detection().ScoreWithOnnx(ScoringFixtures.OnnxPath, Options with { InputColumnName = "Photo" }).Fit(loaded).Transform(loaded);

        // in-memory images decoded from bytes, no file and no registry
        var images = paths.Select(p => MLImage.CreateFromStream(new MemoryStream(File.ReadAllBytes(p)))).ToList();
        try
        {
            var imageRows = ml.Data.LoadFromEnumerable(images.Select(i => new DetectionScoringChain.ImageRow { Image = i }));
            var imageChain = DetectionScoringChain.Create(ml, ScoringFixtures.OnnxPath, Options, ScoringInputKind.MLImage);
            var fromBytes = imageChain.Transform(imageRows);

            var expected = Rows(ml, fromPaths);
            Assert.That(expected.Sum(r => r.Scores.Length), Is.GreaterThan(0));
            AssertSame(Rows(ml, fromLoadImages), expected);
            AssertSame(Rows(ml, fromBytes), expected);

            // a PredictionEngine over MLImage rows, after a save and load of the image chain
            string zip = Path.Combine(ScoringFixtures.Directory, $"images-{Guid.NewGuid():N}.zip");
            // ML.NET cannot write an image column into the saved input schema: save without it
            ml.Model.Save(imageChain, null, zip);
            var fresh = new MLContext(seed: 2);
            DetectionScoringChain.Register(fresh);
            var reloaded = fresh.Model.Load(zip, out _);
            using var engine = fresh.Model.CreatePredictionEngine<DetectionScoringChain.ImageRow, DetectionPrediction>(reloaded);
            for (int i = 0; i < images.Count; i++)
            {
                var prediction = engine.Predict(new DetectionScoringChain.ImageRow { Image = images[i] });
                Assert.That(prediction.Scores, Is.EqualTo(expected[i].Scores), paths[i]);
                Assert.That(prediction.PredictedBoxes, Is.EqualTo(expected[i].PredictedBoxes));
            }
        }
        finally
        {
            images.ForEach(i => i.Dispose());
        }
    }

    [Test]
    public void ColumnNamesAreOptions()
    {
        var ml = new MLContext(seed: 1);
        var options = Options with
        {
            InputColumnName = "File", PredictedLabelsColumnName = "Digits", PredictedBoxesColumnName = "Where",
            ScoresColumnName = "Confidence", PageTurnColumnName = "Turn",
        };
        var rows = ml.Data.LoadFromEnumerable(ScoringFixtures.SmallImages.Select(p => new FileRow { File = p }));
        var scored = ml.Detection().ScoreWithOnnx(ScoringFixtures.OnnxPath, options).Fit(rows).Transform(rows);
        var names = scored.Schema.Select(c => c.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "File", "Digits", "Where", "Confidence", "Turn" }));
        Assert.That(names, Has.None.AnyOf("PredictedLabels", "PredictedBoxes", "Scores", "PageTurn", ScoringColumns.OnnxModel, ScoringColumns.RowAnchor, "ImagePath"));

        var pathRows = ml.Data.LoadFromEnumerable(ScoringFixtures.SmallImages.Select(p => new DetectionScoringChain.ImagePathRow { ImagePath = p }));
        var expected = ml.Detection().ScoreWithOnnx(ScoringFixtures.OnnxPath, Options).Fit(pathRows).Transform(pathRows);
        Assert.That(scored.GetColumn<float[]>("Confidence"), Is.EqualTo(expected.GetColumn<float[]>("Scores")));
        Assert.That(scored.GetColumn<float[]>("Where"), Is.EqualTo(expected.GetColumn<float[]>("PredictedBoxes")));

        var estimator = ml.Detection().ScoreWithOnnx(ScoringFixtures.OnnxPath, options);
        // a SchemaShape with the FileRow column (ML.NET has no public DataViewSchema -> SchemaShape)
        var inputShape = ml.Transforms.CustomMapping<NoColumns, FileRow>((_, _) => { }, null).GetOutputSchema(new SchemaShape([]));
        var shape = estimator.GetOutputSchema(inputShape);
        Assert.That(shape.Select(c => c.Name), Is.EquivalentTo(names));
    }

    [Test]
    public void AnInputColumnOfAnotherTypeIsRefusedByName()
    {
        var ml = new MLContext();
        var rows = ml.Data.LoadFromEnumerable(new[] { new NumberRow { ImagePath = 3 } });
        var error = Assert.Throws<ArgumentException>(() => ml.Detection().ScoreWithOnnx(ScoringFixtures.OnnxPath).Fit(rows));
        Assert.That(error!.Message, Does.Contain("'ImagePath'").And.Contain("MLImage"));
    }

    private static List<DetectionScoringChainTests.ScoredRow> Rows(MLContext ml, IDataView scored) =>
        ml.Data.CreateEnumerable<DetectionScoringChainTests.ScoredRow>(scored, reuseRowObject: false).ToList();

    private static void AssertSame(List<DetectionScoringChainTests.ScoredRow> actual, List<DetectionScoringChainTests.ScoredRow> expected)
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Count));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.That(actual[i].PredictedLabels, Is.EqualTo(expected[i].PredictedLabels), $"row {i}");
            Assert.That(actual[i].Scores, Is.EqualTo(expected[i].Scores), $"row {i}");
            Assert.That(actual[i].PredictedBoxes, Is.EqualTo(expected[i].PredictedBoxes), $"row {i}");
        }
    }

    private sealed class FileRow
    {
        public string File { get; set; } = "";
    }

    private sealed class NoColumns
    {
    }

    private sealed class NumberRow
    {
        public float ImagePath { get; set; }
    }
}
