using System.ComponentModel;
using DigitMl.Experiments.Cli;
using DigitMl.Export;
using DigitMl.Pretrained;
using DigitMl.Scoring;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>
/// `export`: writes model.onnx (and optionally the ML.NET model.zip) from an artifact folder or a checkpoint; with
/// --safetensors the weights with Ultralytics' state-dict names instead; with --pretrained the shipped pretrained
/// weights and their provenance (docs/pretrained.md).
/// </summary>
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
        [Description("Write a fixed [[batch, 3, imgsz, imgsz]] input instead of dynamic height and width (native-size inference of large images needs dynamic axes).")]
        public bool FixedSize { get; init; }

        [CommandOption("--zip <FILE>")]
        [Description("Also write the ML.NET scoring chain (model.zip) around the exported model.")]
        public string? Zip { get; init; }

        [CommandOption("--safetensors <FILE>")]
        [Description("Write the weights (EMA) as safetensors with Ultralytics' state-dict names instead of ONNX: what --init reads, and what Ultralytics' weights convert to.")]
        public string? Safetensors { get; init; }

        [CommandOption("--fp16")]
        [Description("With --safetensors: store floating-point tensors as F16 (half the size).")]
        public bool Fp16 { get; init; }

        [CommandOption("--pretrained")]
        [Description("Publish an artifact version as the shipped pretrained weights: fp16 safetensors + provenance JSON in artifacts/pretrained/ (--init pretrained).")]
        public bool Pretrained { get; init; }

        [CommandOption("--pretrained-dir <DIR>")]
        [Description("With --pretrained: the folder to write to (default: artifacts/pretrained of the repository).")]
        public string? PretrainedDir { get; init; }

        [CommandOption("--robustness <JSON>")]
        [Description("With --pretrained: the robustness suite's JSON for this model, stored in the provenance (without it, a table already there is kept only for the same weights).")]
        public string? Robustness { get; init; }

        public override Spectre.Console.ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Model) ? Spectre.Console.ValidationResult.Error("--model is required")
            : ImageSize is { } s && (s <= 0 || s % 32 != 0) ? Spectre.Console.ValidationResult.Error("--imgsz must be a positive multiple of 32")
            : Pretrained && Safetensors is not null ? Spectre.Console.ValidationResult.Error("--pretrained writes its own safetensors file: give --safetensors or --pretrained, not both")
            : Fp16 && Safetensors is null ? Spectre.Console.ValidationResult.Error("--fp16 applies to --safetensors")
            : (Robustness is not null || PretrainedDir is not null) && !Pretrained ? Spectre.Console.ValidationResult.Error("--robustness and --pretrained-dir apply to --pretrained")
            : (Safetensors is not null || Pretrained) && (Out is not null || Zip is not null || FixedSize || ImageSize is not null)
                ? Spectre.Console.ValidationResult.Error("--out, --zip, --imgsz and --fixed-size apply to the ONNX export, not to --safetensors or --pretrained")
            : Spectre.Console.ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Pretrained) return PublishPretrained(settings);
        if (settings.Safetensors is not null) return WriteSafetensors(settings);
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

    private static int WriteSafetensors(Settings settings)
    {
        string checkpoint = ModelPackage.ResolveCheckpoint(Path.GetFullPath(settings.Model!));
        var result = SafetensorsExport.Write(checkpoint, Path.GetFullPath(settings.Safetensors!), settings.Fp16);
        Console.WriteLine($"wrote {result.Path} ({result.Bytes / 1024.0 / 1024.0:F1} MiB): {result.Tensors} tensors ({(settings.Fp16 ? "F16" : "F32")}), " +
            $"YOLOv8{result.Info.Scale.Name}, {result.Info.Names.Count} classes x {result.Info.Orientations} orientations, trained at {result.Info.ImageSize} px, epoch {result.Info.Epoch}");
        return 0;
    }

    private static int PublishPretrained(Settings settings)
    {
        string destination = settings.PretrainedDir is null
            ? RepositoryLayout.Resolve(PretrainedWeights.RepositoryFolder)
            : Path.GetFullPath(settings.PretrainedDir);
        var provenance = PretrainedPublisher.Publish(Path.GetFullPath(settings.Model!), destination,
            settings.Robustness is null ? null : Path.GetFullPath(settings.Robustness));
        Console.WriteLine($"wrote {Path.Combine(destination, provenance.File)} ({provenance.Bytes / 1024.0 / 1024.0:F1} MiB, {provenance.Tensors} tensors, F16, sha256 {provenance.Sha256})");
        Console.WriteLine($"wrote {Path.Combine(destination, PretrainedWeights.ProvenanceFileName)} (release {provenance.Release}: {provenance.Training.Experiment} {provenance.Training.Version}, " +
            $"{provenance.Training.Epochs} epochs, {(provenance.Training.Hours is { } h ? $"{h:0.##} h" : "hours unknown")}, robustness {(provenance.Robustness is null ? "not filled (--robustness)" : "filled")})");
        Console.WriteLine("build again to embed them in DigitMl.Training (--init pretrained); commit both files to ship them");
        return 0;
    }
}
