using System.ComponentModel;
using DigitMl.Export;
using DigitMl.Scoring;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`export`: writes model.onnx (and optionally the ML.NET model.zip) from an artifact folder or a checkpoint.</summary>
public sealed class ExportCommand : Command<ExportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <PATH>")]
        [Description("Artifact folder (its best.ckpt, else last.ckpt) or a .ckpt file.")]
        public string? Model { get; init; }

        [CommandOption("--out <FILE>")]
        [Description("ONNX file to write (default: model.onnx in the checkpoint's folder).")]
        public string? Out { get; init; }

        [CommandOption("--imgsz <PX>")]
        [Description("Training size recorded in the metadata (imgsz), and the input size with --fixed-size; a multiple of 32 (default: the training size).")]
        public int? ImageSize { get; init; }

        [CommandOption("--fixed-size")]
        [Description("Write a fixed [batch, 3, imgsz, imgsz] input instead of dynamic height and width (native-size inference of large images needs dynamic axes).")]
        public bool FixedSize { get; init; }

        [CommandOption("--zip <FILE>")]
        [Description("Also write the ML.NET scoring chain (model.zip) around the exported model.")]
        public string? Zip { get; init; }

        public override Spectre.Console.ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Model) ? Spectre.Console.ValidationResult.Error("--model is required")
            : ImageSize is { } s && (s <= 0 || s % 32 != 0) ? Spectre.Console.ValidationResult.Error("--imgsz must be a positive multiple of 32")
            : Spectre.Console.ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string checkpoint = ModelPackage.ResolveCheckpoint(Path.GetFullPath(settings.Model!));
        string output = Path.GetFullPath(settings.Out ?? Path.Combine(Path.GetDirectoryName(checkpoint)!, ModelPackage.OnnxFileName));
        ModelPackage.WriteOnnx(checkpoint, output, settings.ImageSize, dynamicSpatialAxes: !settings.FixedSize);
        var info = OnnxModelInfo.Read(output);
        string input = info.DynamicSpatialAxes ? "[batch, 3, height, width]" : $"[batch, 3, {info.InputHeight}, {info.InputWidth}]";
        string anchors = info.Anchors > 0 ? info.Anchors.ToString(System.Globalization.CultureInfo.InvariantCulture) : "anchors";
        string turns = info.IsTurnAware ? $", turns [batch, {info.Orientations * info.Names.Count}, {anchors}] ({info.Orientations} orientations)" : "";
        Console.WriteLine($"wrote {output} ({new FileInfo(output).Length / 1024.0 / 1024.0:F1} MiB): images {input} -> output0 [batch, {info.Outputs}, {anchors}]{turns}, {info.Names.Count} classes, trained at {info.ImageSize} px");
        if (settings.Zip is not null)
        {
            string zip = Path.GetFullPath(settings.Zip);
            ModelPackage.WriteZip(output, zip);
            Console.WriteLine($"wrote {zip}");
        }

        return 0;
    }
}
