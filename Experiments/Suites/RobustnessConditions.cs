using DigitMl.Data.Scenes;

namespace DigitMl.Experiments.Suites;

/// <summary>
/// The sets of `evaluate --suite robustness`: the generator's own test split; each condition of issue 12 alone at a
/// strong setting; the mixed set and its turns by 90/180/270 degrees; unseen writers (handwriting fonts); and
/// page-level sheets (issue 13) upright and turned. Every set is a test split of MNIST test-pool digits (fonts for
/// the writers) with a fixed seed. The single-condition sets share one seed, and the generator draws paper, ink,
/// capture, layout and distractors from separate streams, so they hold the same digits in the same places
/// wherever the condition does not move them: differences between rows are the condition's.
/// </summary>
public static class RobustnessConditions
{
    public const string SuiteName = "robustness";

    /// <summary>Seed of the 160-px condition sets.</summary>
    public const int Seed = 1212;

    /// <summary>Seed of the page-level sheets.</summary>
    public const int SheetSeed = 1313;

    /// <summary>Images per 160-px condition set: about 500 digits each, enough for mAP to +-0.02.</summary>
    public const int DefaultImages = 150;

    /// <summary>Sheets per page-level set (10..50 digits each, about 480 digits).</summary>
    public const int DefaultSheets = 16;

    /// <summary>Images of the generator's own test split (the default dataset's test split: same seed, same scenes).</summary>
    public const int GeneratorTestImages = 500;

    public static IReadOnlyList<SuiteCondition> All(int images = DefaultImages, int sheets = DefaultSheets, int generatorTest = GeneratorTestImages)
    {
        var none = SceneVariation.None;
        var capture = CaptureVariation.None;
        var layout = LayoutVariation.None;
        SuiteCondition Set(string name, string description, SceneVariation variation, Func<SceneOptions, SceneOptions>? change = null)
        {
            var options = new SceneOptions { Train = 0, Val = 0, Test = images, Seed = Seed, Variation = variation };
            return new SuiteCondition(name, description, change is null ? options : change(options));
        }

        var mixed = SceneVariation.Mixed with { PlainShare = 0 };
        var sheet = SceneOptions.Sheets(sheets, SheetSeed);
        return
        [
            new("scenes-test", "the generator's own test split (default options; the test split of datasets/digit-scenes)",
                SceneOptions.Default with { Train = 0, Val = 0, Test = generatorTest }),
            Set("clean", "plain scenes (the generator before domain randomisation)", SceneVariation.Plain),
            Set("paper", "lined, squared, dotted, coloured, textured paper, stains, creases, margins", none with { Paper = PaperVariation.Strong }),
            Set("ink", "red, blue, green, pencil pens, bold and thin strokes, faint ink (dark on light)", none with { Ink = InkVariation.Strong }),
            Set("light-on-dark", "chalkboards, inverted scans, white pen on dark paper", none with { Ink = InkVariation.LightOnDark }),
            Set("defocus", "out of focus: Gaussian blur, sigma 1.2..2 px", none with { Capture = capture with { DefocusShare = 1, MinDefocusSigma = 1.2, MaxDefocusSigma = 2 } }),
            Set("motion", "camera shake: motion blur of 4..8 px", none with { Capture = capture with { MotionShare = 1, MinMotionLength = 4, MaxMotionLength = 8 } }),
            Set("noise", "sensor noise, sigma 8..20 levels", none with { Capture = capture with { NoiseShare = 1, MinNoiseSigma = 8, MaxNoiseSigma = 20 } }),
            Set("jpeg", "JPEG at quality 10..30", none with { Capture = capture with { JpegShare = 1, MinJpegQuality = 10, MaxJpegQuality = 30 } }),
            Set("lighting", "uneven light, vignettes, bright spots and shadows", none with { Capture = capture with { LightingShare = 1, ShadowShare = 0.6 } }),
            Set("colour", "colour casts up to 30%, a third in grayscale", none with { Capture = capture with { ColourCastShare = 1, MaxColourCast = 0.3, GrayscaleShare = 0.33 } }),
            Set("tilt", "perspective tilt up to 12% and rotation up to 10 degrees", none with { Capture = capture with { TiltShare = 1, MaxTilt = 0.12, RotationShare = 1, MaxRotationDegrees = 10 } }),
            Set("aspect", "non-square canvases, aspect 1:2 to 2:1", none with { Layout = layout with { AspectShare = 1, MaxAspect = 2 } }),
            Set("tiny", "tiny digits, 8..14 px tall, up to 10 per scene", none, o => o with { MinDigitHeight = 8, MaxDigitHeight = 14, MaxDigits = 10 }),
            Set("rows", "dense rows: numbers, dates, times, meter readings", none with { Layout = layout with { RowsShare = 1 } }),
            Set("touching", "rows whose neighbours touch", none with { Layout = layout with { RowsShare = 1, TouchingShare = 1 } }),
            Set("cut", "digits cut by the border (labelled when 60% of the ink shows)", none with { Layout = layout with { CutShare = 1 } }),
            Set("distractors", "letters, punctuation, lines, boxes, ticks around the digits", none with { Distractors = DistractorVariation.Strong }),
            Set("mixed", "every family at its default share, no plain scenes", mixed),
            Set("mixed-rot90", "the mixed set turned by 90 degrees", mixed, o => o with { QuarterTurn = 90 }),
            Set("mixed-rot180", "the mixed set turned by 180 degrees", mixed, o => o with { QuarterTurn = 180 }),
            Set("mixed-rot270", "the mixed set turned by 270 degrees", mixed, o => o with { QuarterTurn = 270 }),
            new("writers", "unseen writers: digits in 16 handwriting fonts (Debian packages), plain scenes",
                new SceneOptions { Train = 0, Val = 0, Test = images, Seed = Seed, Variation = SceneVariation.Plain }, SuiteDigits.Fonts),
            new("sheets", "page-level sheets: 800..1600 px, 10..50 digits of 20..70 px, coloured pens, ruled paper, uneven light, blur", sheet),
            new("sheets-rot90", "the sheets turned by 90 degrees", sheet with { QuarterTurn = 90 }),
            new("sheets-rot180", "the sheets turned by 180 degrees", sheet with { QuarterTurn = 180 }),
            new("sheets-rot270", "the sheets turned by 270 degrees", sheet with { QuarterTurn = 270 }),
        ];
    }

    /// <summary>The named sets, in suite order; an unknown name fails with the list of known ones.</summary>
    public static IReadOnlyList<SuiteCondition> Select(IReadOnlyList<SuiteCondition> all, IReadOnlyCollection<string>? names)
    {
        ArgumentNullException.ThrowIfNull(all);
        if (names is null || names.Count == 0) return all;
        var unknown = names.Where(n => all.All(c => !string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown suite condition(s) {string.Join(", ", unknown)} (known: {string.Join(", ", all.Select(c => c.Name))})");
        return [.. all.Where(c => names.Any(n => string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase)))];
    }
}
