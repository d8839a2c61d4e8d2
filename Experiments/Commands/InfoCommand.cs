using System.ComponentModel;
using System.Globalization;
using DigitMl.Modeling;
using DigitMl.Pretrained;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`info`: YOLOv8 model summary (per-layer table, parameters, GFLOPs); with --init, what a weights file holds
/// (for `--init pretrained` the shipped weights' provenance).</summary>
public sealed class InfoCommand : Command<InfoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--scale <SCALE>")]
        [Description("Model scale: n, s, m, l, x or tiny.")]
        [DefaultValue("n")]
        public string Scale { get; init; } = "n";

        [CommandOption("--nc <N>")]
        [Description("Number of classes.")]
        [DefaultValue(10)]
        public int NumClasses { get; init; } = 10;

        [CommandOption("--imgsz <PIXELS>")]
        [Description("Square input size for the GFLOPs count (multiple of 32).")]
        [DefaultValue(640)]
        public int ImageSize { get; init; } = 640;

        [CommandOption("--layers")]
        [Description("Print the per-layer table (default: on).")]
        [DefaultValue(true)]
        public bool Layers { get; init; } = true;

        [CommandOption("--init <WEIGHTS>")]
        [Description("Describe starting weights instead: pretrained (prints the shipped weights' provenance), a checkpoint, yolov8n.pt or a safetensors file.")]
        public string? Init { get; init; }

        public override Spectre.Console.ValidationResult Validate()
        {
            if (NumClasses < 1)
                return Spectre.Console.ValidationResult.Error("--nc must be at least 1.");
            if (ImageSize < 32 || ImageSize % 32 != 0)
                return Spectre.Console.ValidationResult.Error("--imgsz must be a positive multiple of 32.");
            return Spectre.Console.ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Init is not null)
        {
            string init = PretrainedWeights.IsName(settings.Init) ? settings.Init : Path.GetFullPath(settings.Init);
            Console.Out.Write(InitialWeightsDescription.Format(InitialWeights.Read(init)));
            return 0;
        }
        var scale = YoloV8Scale.Parse(settings.Scale);
        var summary = ModelSummary.Compute(scale, settings.NumClasses, settings.ImageSize);
        Console.Out.Write(Format(summary, settings.Layers));
        return 0;
    }

    public static string Format(ModelSummary summary, bool withLayers)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var text = new System.Text.StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        if (withLayers)
        {
            text.AppendLine(culture, $"{"",3} {"from",-12} {"n",2} {"module",-8} {"params",10} {"output",-20} {"GFLOPs",8}");
            foreach (var layer in summary.Layers)
            {
                string from = layer.From.Count == 1 ? layer.From[0].ToString(culture) : "[" + string.Join(", ", layer.From) + "]";
                string output = layer.Module == "Detect"
                    ? $"1x{layer.Output.Channels}x{layer.Output.Width}"
                    : $"1x{layer.Output.Channels}x{layer.Output.Height}x{layer.Output.Width}";
                text.AppendLine(culture, $"{layer.Index,3} {from,-12} {layer.Repeats,2} {layer.Module,-8} {layer.Parameters,10} {output,-20} {layer.GFlops,8:F3}");
            }
        }
        text.AppendLine(culture, $"model: YOLOv8{summary.Scale.Name}, nc={summary.NumClasses}, imgsz={summary.Height}x{summary.Width}, {summary.Layers.Count} layers");
        text.AppendLine(culture, $"parameters: {summary.Parameters}");
        text.AppendLine(culture, $"GFLOPs: {summary.GFlops.ToString("F1", culture)}");
        return text.ToString();
    }
}
