using System.Globalization;
using System.Text.Json;
using DigitMl.Data;
using DigitMl.Data.Scenes;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Suites;
using DigitMl.Export;
using DigitMl.Modeling;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Suites;

/// <summary>The robustness suite on tiny sets: every condition generated from the test pool, cached, scored through the given predictor.</summary>
public sealed class RobustnessSuiteTests
{
    private static readonly Lazy<(string Dir, IReadOnlyList<SuiteCondition> Conditions, IReadOnlyList<string> Yamls)> Tiny = new(() =>
    {
        string dir = TinyScenes.NewTempDirectory("suite");
        var conditions = RobustnessConditions.All(images: 3, sheets: 1, generatorTest: 3);
        var yamls = new RobustnessSuite(dir, RepositoryLayout.MnistDir).Prepare(conditions);
        return (dir, conditions, yamls);
    });

    private static IReadOnlyList<IReadOnlyList<Detection>> Oracle(IReadOnlyList<YoloSample> samples) =>
        [.. samples.Select(s => (IReadOnlyList<Detection>)[.. s.Objects.Select(o => new Detection(o.ClassId, o.ClassId.ToString(CultureInfo.InvariantCulture), 1, o.Box))])];

    [Test]
    public void EveryConditionOfTheIssuesIsASet()
    {
        var names = RobustnessConditions.All().Select(c => c.Name).ToList();
        Assert.That(names, Is.Unique);
        Assert.That(names, Is.SupersetOf(new[]
        {
            "scenes-test", "clean", "paper", "ink", "light-on-dark", "defocus", "motion", "noise", "jpeg", "lighting", "colour", "tilt",
            "aspect", "tiny", "rows", "touching", "cut", "distractors", "mixed", "mixed-rot90", "mixed-rot180", "mixed-rot270", "writers",
            "sheets", "sheets-rot90", "sheets-rot180", "sheets-rot270",
        }));
        foreach (var c in RobustnessConditions.All())
        {
            Assert.That(c.Options.Train + c.Options.Val, Is.Zero, $"{c.Name}: a test split only");
            Assert.That(c.Options.Validate, Throws.Nothing, c.Name);
        }
    }

    [Test]
    public void APerfectDetectorScoresFullMarksOnEverySetAndAnEmptyOneNothing()
    {
        var (dir, conditions, _) = Tiny.Value;
        var suite = new RobustnessSuite(dir, RepositoryLayout.MnistDir);
        var perfect = suite.Run("oracle", Oracle, conditions);
        Assert.That(perfect.Rows.Select(r => r.Condition), Is.EqualTo(conditions.Select(c => c.Name)));
        foreach (var row in perfect.Rows)
        {
            Assert.That(row.Images, Is.EqualTo(row.Condition.StartsWith("sheets", StringComparison.Ordinal) ? 1 : 3), row.Condition);
            Assert.That(row.Instances, Is.GreaterThan(0), row.Condition);
            Assert.That(row.Map50, Is.EqualTo(0.995).Within(1e-6), row.Condition);
            Assert.That(row.Map50To95, Is.EqualTo(0.995).Within(1e-6), row.Condition);
        }
        Assert.That(perfect.Rows.Single(r => r.Condition == "sheets").Instances, Is.InRange(10, 50), "a sheet holds 10..50 digits");
        var blind = suite.Run("blind", samples => [.. samples.Select(_ => (IReadOnlyList<Detection>)[])], conditions);
        Assert.That(blind.Rows.Select(r => r.Map50), Has.All.EqualTo(0.0));
        Assert.That(blind.Rows.Select(r => r.Instances), Is.EqualTo(perfect.Rows.Select(r => r.Instances)));

        var back = SuiteResult.FromJson(perfect.ToJson());
        Assert.That(back.Rows, Is.EqualTo(perfect.Rows));
        Assert.That(perfect.ToMarkdown(), Does.Contain("| mixed-rot90 | 3 |"));
    }

    [Test]
    public void SetsAreDrawnFromTheTestPoolAndCached()
    {
        var (dir, conditions, yamls) = Tiny.Value;
        var test = TinyScenes.Mnist.Pool("test").ToHashSet();
        for (int i = 0; i < conditions.Count; i++)
        {
            var root = Path.GetDirectoryName(yamls[i])!;
            Assert.That(root, Is.EqualTo(Path.Combine(dir, conditions[i].Name)));
            if (conditions[i].Digits != SuiteDigits.MnistTest) continue;
            var scenes = SceneManifest.Read(Path.Combine(root, SceneManifest.FileName));
            Assert.That(scenes.SelectMany(s => s.Digits).Select(d => d.MnistIndex), Has.All.Matches<int>(test.Contains), conditions[i].Name);
            Assert.That(scenes.Select(s => s.Split), Has.All.EqualTo("test"));
        }
        var stamps = yamls.Select(y => File.GetLastWriteTimeUtc(Path.Combine(Path.GetDirectoryName(y)!, SceneDatasetMarker.FileName))).ToList();
        new RobustnessSuite(dir, RepositoryLayout.MnistDir).Prepare(conditions);
        Assert.That(yamls.Select(y => File.GetLastWriteTimeUtc(Path.Combine(Path.GetDirectoryName(y)!, SceneDatasetMarker.FileName))), Is.EqualTo(stamps), "a second run regenerates nothing");
    }

    [Test]
    public void TurnedSetsHoldTheSameScenesTurned()
    {
        var (_, conditions, yamls) = Tiny.Value;
        string Image(string name) => Path.Combine(Path.GetDirectoryName(yamls[conditions.ToList().FindIndex(c => c.Name == name)])!, "images", "test", "000000.png");
        foreach (var (upright, turned, degrees) in new[] { ("mixed", "mixed-rot90", 90), ("mixed", "mixed-rot270", 270), ("sheets", "sheets-rot180", 180) })
        {
            var expected = ImageRotation.RotateClockwise(ImageDecoder.Decode(Image(upright)), degrees);
            Assert.That(ImageDecoder.Decode(Image(turned)).Pixels, Is.EqualTo(expected.Pixels), turned);
        }
        var sheet = ImageDecoder.ReadSize(Image("sheets"));
        Assert.That(Math.Max(sheet.Width, sheet.Height), Is.InRange(1280, 1600));
        Assert.That(Math.Min(sheet.Width, sheet.Height), Is.InRange(800, 1600));
    }

    [Test]
    public void EvaluateSuiteScoresAModelAndWritesTheTable()
    {
        string dir = TinyScenes.NewTempDirectory("suite-cli");
        string onnx = Path.Combine(dir, "model.onnx");
        TorchSharp.torch.manual_seed(5);
        using (var model = new YoloV8Model(YoloV8Scale.Tiny, 10))
        {
            model.eval();
            OnnxExporter.Export(model, onnx, new OnnxExportMetadata(SceneGenerator.ClassNames, 64));
        }
        string json = Path.Combine(dir, "suite.json");
        int code = DigitMlApp.Run(["evaluate", "--suite", "robustness", "--model", onnx, "--conditions", "clean,mixed-rot90", "--suite-images", "2", "--suite-dir", Path.Combine(dir, "sets"), "--json", json]);
        Assert.That(code, Is.Zero);
        using var result = JsonDocument.Parse(File.ReadAllText(json));
        var rows = result.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.That(rows.Select(r => r.GetProperty("condition").GetString()), Is.EqualTo(new[] { "clean", "mixed-rot90" }));
        Assert.That(rows.Select(r => r.GetProperty("images").GetInt32()), Has.All.EqualTo(2));
        Assert.That(rows.Select(r => r.GetProperty("map50").GetDouble()), Has.All.InRange(0.0, 1.0));
        Assert.That(result.RootElement.GetProperty("generator").GetString(), Is.EqualTo(SceneGenerator.Version));
    }

    [Test]
    public void SuiteOptionsAreChecked()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DigitMlApp.Run(["evaluate", "--suite", "robustness", "--model", "m.onnx", "--conditions", "blurry"]), Is.EqualTo(ErrorReporter.UsageError));
            Assert.That(DigitMlApp.Run(["evaluate", "--suite", "speed", "--model", "m.onnx"]), Is.EqualTo(ErrorReporter.UsageError));
            Assert.That(DigitMlApp.Run(["evaluate", "--suite", "robustness", "--predictions", "dir"]), Is.EqualTo(ErrorReporter.UsageError));
            Assert.That(DigitMlApp.Run(["evaluate", "--suite", "robustness", "--model", "m.onnx", "--data", "d.yaml"]), Is.EqualTo(ErrorReporter.UsageError));
        });
    }
}
