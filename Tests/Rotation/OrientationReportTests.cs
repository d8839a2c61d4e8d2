using DigitMl.Augmentation.Rotation;
using DigitMl.Evaluation;
using DigitMl.Data;
using DigitMl.Scoring;

namespace DigitMl.Tests.Rotation;

public sealed class OrientationReportTests
{
    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    // 10 images, each with one object of every class in a row of boxes
    private static List<IReadOnlyList<LabeledBox>> Truth() =>
        Enumerable.Range(0, 10).Select(_ => (IReadOnlyList<LabeledBox>)Enumerable.Range(0, 10)
            .Select(c => new LabeledBox(c, new BoundingBox(c * 10, 5, (c * 10) + 8, 15))).ToList()).ToList();

    private static List<IReadOnlyList<Detection>> Predict(List<IReadOnlyList<LabeledBox>> truth, Func<int, int> predictedClass) =>
        truth.Select(objects => (IReadOnlyList<Detection>)objects
            .Select(o => new Detection(predictedClass(o.ClassId), Digits[predictedClass(o.ClassId)], 0.9f, o.Box)).ToList()).ToList();

    [Test]
    public void SixAndNineAreShownSeparatelyPerRotationAndForAll()
    {
        var truth = Truth();
        var perRotation = new Dictionary<int, (IReadOnlyList<IReadOnlyList<LabeledBox>>, IReadOnlyList<IReadOnlyList<Detection>>)>
        {
            [0] = (truth, Predict(truth, c => c)),
            // what a detector does with a page turned by 180 degrees: every 6 read as 9 and every 9 as 6
            [180] = (truth, Predict(truth, c => c == 6 ? 9 : c == 9 ? 6 : c)),
        };
        var report = OrientationReport.Evaluate(perRotation, Digits);

        Assert.That(report.SeparateClasses, Is.EqualTo(new[] { "6", "9" }));
        Assert.That(report.Rows.Select(r => r.Rotation), Is.EqualTo(new[] { "0", "180", "all" }));
        var (upright, turned, all) = (report.Rows[0], report.Rows[1], report.Rows[2]);
        Assert.That(upright.Map50, Is.EqualTo(0.995).Within(1e-9));
        Assert.That(upright.Separate[0]!.Value.Ap50To95, Is.EqualTo(0.995).Within(1e-9));
        Assert.That(turned.OtherMap50To95, Is.EqualTo(0.995).Within(1e-9), "other classes are unaffected");
        Assert.That(turned.Separate[0]!.Value.Ap50, Is.Zero);
        Assert.That(turned.Separate[1]!.Value.Ap50, Is.Zero);
        Assert.That(turned.Map50, Is.EqualTo(0.995 * 8 / 10).Within(1e-9));
        Assert.That((all.Images, all.Instances), Is.EqualTo((20, 200)));
        Assert.That(all.Map50, Is.GreaterThan(turned.Map50).And.LessThan(upright.Map50));

        string markdown = report.ToMarkdown();
        Assert.That(markdown, Does.Contain("| 180 | 10 | 100 | 0.796 |"));
        Assert.That(markdown, Does.Contain("AP50-95 6"));
        Assert.That(report.ToJson(), Does.Contain("\"rotation\": \"all\""));
    }

    [Test]
    public void SeparateClassesMissingFromTheDatasetAreLeftOut()
    {
        var truth = Truth();
        var metrics = DigitMl.Evaluation.DetectionEvaluator.Evaluate(truth, Predict(truth, c => c), Digits);
        var report = OrientationReport.Build(new Dictionary<int, DigitMl.Evaluation.DetectionMetrics> { [90] = metrics }, separateClasses: ["6", "six"]);
        Assert.That(report.SeparateClasses, Is.EqualTo(new[] { "6" }));
        Assert.That(report.Rows, Has.Count.EqualTo(1), "no overall metrics given, no 'all' row");
    }
}
