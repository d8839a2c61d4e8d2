using System.ComponentModel;
using System.Diagnostics;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Display;
using DigitMl.Augmentation.Rotation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`augment`: writes a rotated copy of a YOLO dataset (images + labels + data.yaml) for any tool.</summary>
public sealed class AugmentCommand(IAnsiConsole console) : Command<AugmentCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--data <YAML>")]
        [Description("data.yaml of the dataset to rotate (default: the generated digit scenes, created if missing).")]
        public string? Data { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Output folder for the rotated dataset (required; must be empty unless --force).")]
        public string? Out { get; init; }

        [CommandOption("--rotate <ANGLES>")]
        [Description("Clockwise angles added next to every original image, multiples of 90 (default 90,180,270).")]
        public string Rotate { get; init; } = "90,180,270";

        [CommandOption("--split <NAME>")]
        [Description("Split to rotate (default train); the other splits are copied as they are.")]
        public string Split { get; init; } = "train";

        [CommandOption("--policy <POLICY>")]
        [Description("Orientation-ambiguous classes: drop (default: skip the conflicting angles, 180 and 270, for images holding them), keep (rotate anyway), relabel (rename through --relabel at those angles).")]
        public string Policy { get; init; } = "drop";

        [CommandOption("--ambiguous <NAMES>")]
        [Description("Class names the drop policy acts on (default 6,9).")]
        public string Ambiguous { get; init; } = "6,9";

        [CommandOption("--relabel <MAP>")]
        [Description("FROM:TO class renaming for --policy relabel, e.g. 6:9,9:6.")]
        public string? Relabel { get; init; }

        [CommandOption("--policy-angles <ANGLES>")]
        [Description("Angles the policy acts on (default: those half a turn from an angle kept as it is: 180,270 for 90,180,270).")]
        public string? PolicyAngles { get; init; }

        [CommandOption("--force")]
        [Description("Replace the output folder if it is not empty.")]
        public bool Force { get; init; }

        public RotationOptions ToOptions() => RotationOptions.Parse(Rotate, Policy, Ambiguous, Relabel, PolicyAngles);

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out <DIR> is required");
            try
            {
                ToOptions();
                return ValidationResult.Success();
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                return ValidationResult.Error(e.Message);
            }
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string data = settings.Data is null ? DataCommand.EnsureDefaultDataYaml(console, cancellationToken) : Path.GetFullPath(settings.Data);
        var options = settings.ToOptions();
        var clock = Stopwatch.StartNew();
        var summary = CountedProgress.Run(console, "writing rotated dataset", (DatasetWriteProgress p) => (p.Done, p.Total), progress =>
            AugmentedDataset.Write(data, settings.Out!, options, settings.Split, settings.Force, progress, cancellationToken));

        var table = new Table().AddColumn("split").AddColumn(new TableColumn("images").RightAligned());
        foreach (var (split, images) in summary.ImagesPerSplit)
            table.AddRow(Markup.Escape(split == summary.RotatedSplit ? split + " (rotated)" : split), images.ToString(System.Globalization.CultureInfo.InvariantCulture));
        console.Write(table);
        console.Profile.Out.Writer.WriteLine($"{summary.RotatedSplit}: {summary.Report}");
        if (summary.Report.UnknownAmbiguousClasses.Count > 0)
            console.Profile.Out.Writer.WriteLine($"warning: ambiguous classes not in the dataset: {string.Join(", ", summary.Report.UnknownAmbiguousClasses)}");
        console.Profile.Out.Writer.WriteLine($"wrote {summary.DataYamlPath} in {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
