using System.ComponentModel;
using System.Diagnostics;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Display;
using DigitMl.Augmentation.Rotation;
using DigitMl.Data;
using DigitMl.Data.Mnist;
using DigitMl.Data.Scenes;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`data`: writes the MNIST digit-scene dataset (Ultralytics layout + data.yaml).</summary>
public sealed class DataCommand(IAnsiConsole console) : Command<DataCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--out <DIR>")]
        [Description("Output folder (default: datasets/digit-scenes of the repository). An earlier generated dataset there is replaced.")]
        public string? Out { get; init; }

        [CommandOption("--mnist <DIR>")]
        [Description("Folder with the MNIST IDX files (default: datasets/mnist).")]
        public string? Mnist { get; init; }

        [CommandOption("--train <N>")]
        [Description("Scenes in the train split (default 3000).")]
        public int Train { get; init; } = SceneOptions.Default.Train;

        [CommandOption("--val <N>")]
        [Description("Scenes in the val split (default 500).")]
        public int Val { get; init; } = SceneOptions.Default.Val;

        [CommandOption("--test <N>")]
        [Description("Scenes in the test split (default 500).")]
        public int Test { get; init; } = SceneOptions.Default.Test;

        [CommandOption("--imgsz <PX>")]
        [Description("Square canvas side in pixels (default 160).")]
        public int ImageSize { get; init; } = SceneOptions.Default.Width;

        [CommandOption("--width <PX>")]
        [Description("Canvas width, for non-square scenes (default: --imgsz).")]
        public int? Width { get; init; }

        [CommandOption("--height <PX>")]
        [Description("Canvas height, for non-square scenes (default: --imgsz).")]
        public int? Height { get; init; }

        [CommandOption("--seed <N>")]
        [Description("Seed: the same seed and options give the same bytes on every machine (default 0).")]
        public int Seed { get; init; } = SceneOptions.Default.Seed;

        [CommandOption("--min-digit <PX>")]
        [Description("Smallest digit height (ink box) in pixels (default 14).")]
        public int MinDigit { get; init; } = SceneOptions.Default.MinDigitHeight;

        [CommandOption("--max-digit <PX>")]
        [Description("Largest digit height (ink box) in pixels (default 56).")]
        public int MaxDigit { get; init; } = SceneOptions.Default.MaxDigitHeight;

        [CommandOption("--max-digits <N>")]
        [Description("Most digits per scattered scene (default 6; rows hold up to layout.maxRowDigits); a few percent of scenes are empty.")]
        public int MaxDigits { get; init; } = SceneOptions.Default.MaxDigits;

        [CommandOption("--min-digits <N>")]
        [Description("Fewest digits per scattered scene that has digits (default 1).")]
        public int MinDigits { get; init; } = SceneOptions.Default.MinDigits;

        // domain randomisation (issue #12)
        [CommandOption("--variation <NAME>")]
        [Description("Variation preset: mixed (default), plain, none (no effect: the base for --vary), paper, ink, light-on-dark, capture, geometry, distractors (see docs/scenes.md).")]
        public string Variation { get; init; } = "mixed";

        [CommandOption("--plain-share <X>")]
        [Description("Share of plain scenes (today's look) in the variation (mixed: 0.25).")]
        public double? PlainShare { get; init; }

        [CommandOption("--vary <KEY=VALUE>")]
        [Description("Any variation option by its key, e.g. --vary capture.jpegShare=0.5 --vary ink.lightOnDarkShare=0.3. Repeatable; keys in docs/scenes.md.")]
        public string[] Vary { get; init; } = [];

        [CommandOption("--turn <DEG>")]
        [Description("Turn every scene clockwise by 0, 90, 180 or 270 degrees (boxes turned exactly, classes kept).")]
        public int Turn { get; init; }

        [CommandOption("--montage <PNG>")]
        [Description("Write a contact sheet of the first --montage-count train scenes (boxes outlined) instead of a dataset.")]
        public string? Montage { get; init; }

        [CommandOption("--montage-count <N>")]
        [Description("Scenes in the montage (default 24).")]
        public int MontageCount { get; init; } = 24;

        [CommandOption("--montage-columns <N>")]
        [Description("Scenes per montage row (default 8).")]
        public int MontageColumns { get; init; } = 8;

        [CommandOption("--montage-split <NAME>")]
        [Description("Split whose scenes the montage shows: train (default), val or test.")]
        public string MontageSplit { get; init; } = "train";

        // rotation (issue #4): evaluation by orientation
        [CommandOption("--rotations <ANGLES>")]
        [Description("Also write the test split turned by each angle as splits test_rot0, test_rot90, ... in data.yaml (e.g. 0,90,180,270).")]
        public string? Rotations { get; init; }

        [CommandOption("--symbols <NAMES>")]
        [Description("Extra classes after the ten digits, drawn by hand like the digits: minus, point, plus (comma-separated, e.g. minus,point). Classes 10, 11, ... in data.yaml.")]
        public string? Symbols { get; init; }

        [CommandOption("--symbol-share <X>")]
        [Description("Expected share of symbols among the marks of a scene with --symbols (default 0.15).")]
        public double SymbolShare { get; init; } = 0.15;

        [CommandOption("--force")]
        [Description("Regenerate even when the folder already holds this exact dataset.")]
        public bool Force { get; init; }

        public SceneOptions ToOptions() => new()
        {
            Train = Train,
            Val = Val,
            Test = Test,
            Width = Width ?? ImageSize,
            Height = Height ?? ImageSize,
            Seed = Seed,
            MinDigitHeight = MinDigit,
            MaxDigitHeight = MaxDigit,
            MaxDigits = MaxDigits,
            MinDigits = MinDigits,
            Variation = ToVariation(),
            QuarterTurn = Turn,
        };

        private SceneVariation ToVariation()
        {
            var variation = SceneVariation.Preset(Variation);
            if (PlainShare is { } plain) variation = variation with { PlainShare = plain };
            foreach (var pair in Vary)
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0) throw new ArgumentException($"--vary expects KEY=VALUE, got '{pair}'");
                variation = variation.With(pair[..equals].Trim(), pair[(equals + 1)..].Trim());
            }
            return variation;
        }

        public IReadOnlyList<SceneSymbol> ParseSymbols() =>
            [.. (Symbols ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(SceneSymbol.Parse).Distinct()];

        /// <summary>MNIST digits, with the --symbols classes when asked for.</summary>
        public IDigitSource DigitSource(string mnistDir)
        {
            IDigitSource digits = new MnistDigitSource(MnistDigits.Load(mnistDir));
            var symbols = ParseSymbols();
            return symbols.Count == 0 ? digits : new SymbolDigitSource(digits, symbols, SymbolShare);
        }

        public override ValidationResult Validate()
        {
            try
            {
                ToOptions().Validate();
                if (MontageCount < 1 || MontageColumns < 1) return ValidationResult.Error("--montage-count and --montage-columns must be at least 1");
                if (Symbols is not null) _ = ParseSymbols();
                if (SymbolShare is <= 0 or >= 1) return ValidationResult.Error($"--symbol-share {SymbolShare} must be between 0 and 1 (exclusive)");
                return ValidationResult.Success();
            }
            catch (ArgumentException e)
            {
                return ValidationResult.Error(e.Message);
            }
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string outDir = settings.Out is null ? RepositoryLayout.DefaultScenesDir : Path.GetFullPath(settings.Out);
        string mnistDir = settings.Mnist is null ? RepositoryLayout.MnistDir : Path.GetFullPath(settings.Mnist);
        var options = settings.ToOptions();
        var clock = Stopwatch.StartNew();
        if (settings.Montage is { } montage)
        {
            var sheet = SceneMontage.Render(settings.DigitSource(mnistDir), options, settings.MontageSplit, settings.MontageCount, settings.MontageColumns);
            ImageEncoder.SavePng(sheet, montage);
            Console.WriteLine($"montage of {settings.MontageCount} {settings.MontageSplit} scenes ({settings.Variation}): {Path.GetFullPath(montage)}");
            return 0;
        }
        string yaml;
        bool generated = true;
        var source = settings.DigitSource(mnistDir);
        if (settings.Force)
            yaml = WithProgress(console, progress => SceneGenerator.Generate(source, outDir, options, progress, cancellationToken));
        else
            (yaml, generated) = WithProgress(console, progress => DigitScenes.Ensure(source, outDir, options, progress, cancellationToken));
        console.Profile.Out.Writer.WriteLine(generated
            ? $"wrote {options.Train + options.Val + options.Test} scenes ({options.Width}x{options.Height}, seed {options.Seed}, {source.ClassNames.Count} classes) in {clock.Elapsed.TotalSeconds:F1} s: {yaml}"
            : $"up to date (same generator, options and digits): {yaml}");
        if (settings.Rotations is not null) WriteRotatedTestSplits(console, yaml, settings.Rotations, cancellationToken);
        return 0;
    }

    // rotation (issue #4): the test split turned by each angle, as extra splits of the same dataset
    private static void WriteRotatedTestSplits(IAnsiConsole console, string yaml, string rotations, CancellationToken cancellationToken)
    {
        var angles = RotationOptions.ParseAngles(rotations);
        var summary = CountedProgress.Run<DatasetWriteProgress, RotatedSplitsSummary>(console, "writing rotated test splits", p => (p.Done, p.Total),
            progress => RotatedSplits.Write(yaml, "test", angles, progress, cancellationToken));
        console.Profile.Out.Writer.WriteLine($"rotated test splits ({summary.ImagesPerSplit} images each): {string.Join(", ", summary.SplitPerAngle.Values)}");
    }

    /// <summary>
    /// The data.yaml of the default scene dataset (datasets/digit-scenes), generating it first, with progress on
    /// <paramref name="console"/>, when it is missing or stale. For the commands that fall back to the default data;
    /// inside a running sweep display the bar joins that display.
    /// </summary>
    public static string EnsureDefaultDataYaml(IAnsiConsole console, CancellationToken cancellationToken = default) =>
        WithProgress(console, progress => DigitScenes.EnsureDefault(RepositoryLayout.MnistDir, RepositoryLayout.DefaultScenesDir, SceneOptions.Default, progress, cancellationToken));

    private static T WithProgress<T>(IAnsiConsole console, Func<IProgress<SceneGenerationProgress>, T> work) =>
        CountedProgress.Run(console, "generating digit scenes", (SceneGenerationProgress p) => (p.Done, p.Total), work);
}
