using DigitMl.Data;
using DigitMl.Experiments.Serve;

namespace DigitMl.Tests.Serve;

/// <summary>The reading-order string: rows top to bottom, left to right, spaces at wide gaps.</summary>
public sealed class ReadingOrderTests
{
    /// <summary>A 20 px tall, 12 px wide digit box with its top-left corner at (x, y).</summary>
    private static Detection Digit(string label, float x, float y, float height = 20, float width = 12) =>
        new(int.Parse(label, System.Globalization.CultureInfo.InvariantCulture), label, 0.9f, new BoundingBox(x, y, x + width, y + height));

    /// <summary>Digits of a string laid out left to right from (x, y); a space is a wide gap.</summary>
    private static IEnumerable<Detection> Written(string text, float x, float y, float slopePerDigit = 0)
    {
        float cursor = x, baseline = y;
        foreach (char c in text)
        {
            if (c == ' ')
            {
                cursor += 20;
                continue;
            }

            yield return Digit(c.ToString(), cursor, baseline);
            cursor += 14;
            baseline += slopePerDigit;
        }
    }

    private static List<Detection> Shuffled(IEnumerable<Detection> detections, int seed)
    {
        var list = detections.ToList();
        var random = new Random(seed);
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }

    [Test]
    public void ADateOnOneLineReadsWithItsGaps()
    {
        var detections = Shuffled(Written("2024 07 31", 10, 40), seed: 1);

        Assert.That(ReadingOrder.Text(detections), Is.EqualTo("2024 07 31"));
        Assert.That(ReadingOrder.Lines(detections), Is.EqualTo(new[] { "2024 07 31" }));
    }

    [Test]
    public void ThreeLinesReadTopToBottomWhateverTheDetectionOrder()
    {
        var detections = Shuffled(Written("2024", 10, 10).Concat(Written("07", 30, 40)).Concat(Written("31", 5, 70)), seed: 2);

        Assert.That(ReadingOrder.Text(detections), Is.EqualTo("2024\n07\n31"));
        var rows = ReadingOrder.Rows(detections);
        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows.SelectMany(r => r).Order(), Is.EqualTo(Enumerable.Range(0, detections.Count)), "every detection read once");
    }

    [Test]
    public void ASlantedLineStaysOneRow()
    {
        // each digit 6 px lower than the one before: 30 px from first to last, more than a digit height
        var detections = Shuffled(Written("123456", 10, 10, slopePerDigit: 6), seed: 3);

        Assert.That(ReadingOrder.Text(detections), Is.EqualTo("123456"));
    }

    [Test]
    public void DigitsOfDifferentHeightsOnOneLineAndCloseLinesApart()
    {
        // a short 1 (12 px) beside tall digits (20 px), centres within a quarter height; the next line 24 px lower
        var detections = new List<Detection>
        {
            Digit("4", 10, 10), Digit("1", 24, 14, height: 12, width: 4), Digit("7", 30, 10),
            Digit("9", 10, 34), Digit("0", 24, 34),
        };

        Assert.That(ReadingOrder.Text(detections), Is.EqualTo("417\n90"));
    }

    [Test]
    public void TouchingOrOverlappingDigitsHaveNoSpace()
    {
        var detections = new List<Detection> { Digit("5", 10, 10), Digit("5", 18, 11), Digit("3", 30, 10) };

        Assert.That(ReadingOrder.Text(detections), Is.EqualTo("553"));
    }

    [Test]
    public void NothingReadsAsEmptyAndOneDigitAsItself()
    {
        Assert.That(ReadingOrder.Text([]), Is.Empty);
        Assert.That(ReadingOrder.Lines([]), Is.Empty);
        Assert.That(ReadingOrder.Text([Digit("8", 3, 3)]), Is.EqualTo("8"));
    }
}
