using System.Diagnostics;
using System.Globalization;
using DigitMl.Data;
using DigitMl.Experiments.Cli;
using DigitMl.Export;
using DigitMl.Scoring;
using DigitMl.Tests.Scoring;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Packaging;

/// <summary>
/// A user's service, as the README tells them to write it: a fresh console project outside the source tree that takes
/// the DigitMl package from a folder feed (no project reference), loads model.zip with DigitDetector.Load and with
/// plain mlContext.Model.Load, detects digits, and publishes without any TorchSharp or libtorch file.
/// </summary>
public sealed class ServingPackageTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private const string ConsumerProgram = """
        using System.Globalization;
        using DigitMl.Scoring;
        using Microsoft.ML;

        string model = args[0], image = args[1];
        using (var detector = DigitDetector.Load(model))
        {
            foreach (var d in detector.Detect(image))
                Console.WriteLine(Line("detector", d.Label, d.Score, d.Box.X0, d.Box.Y0, d.Box.X1, d.Box.Y1));
        }

        var ml = new MLContext();
        DetectionScoringChain.Register(ml);
        ITransformer chain = ml.Model.Load(model, out _);
        var engine = ml.Model.CreatePredictionEngine<Input, Output>(chain);
        var p = engine.Predict(new Input { ImagePath = image });
        for (int i = 0; i < p.Scores.Length; i++)
            Console.WriteLine(Line("mlnet", p.PredictedLabels[i], p.Scores[i], p.PredictedBoxes[4 * i], p.PredictedBoxes[(4 * i) + 1], p.PredictedBoxes[(4 * i) + 2], p.PredictedBoxes[(4 * i) + 3]));

        static string Line(string source, string label, params float[] values) =>
            $"{source} {label} {string.Join(' ', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}";

        sealed class Input { public string ImagePath { get; set; } = ""; }

        sealed class Output
        {
            public string[] PredictedLabels { get; set; } = [];
            public float[] PredictedBoxes { get; set; } = [];
            public float[] Scores { get; set; } = [];
        }
        """;

    [Test]
    public void FreshConsoleAppDetectsDigitsWithTheServingPackageAndPublishesNoTorch()
    {
        string work = TinyScenes.NewTempDirectory("serving-package");
        string zip = Path.Combine(work, "model.zip");
        ModelPackage.WriteZip(ScoringFixtures.OnnxPath, zip);
        string image = ScoringFixtures.Images[3];
        IReadOnlyList<Detection> expected;
        using (var detector = DigitDetector.Load(zip))
            expected = detector.Detect(image);
        Assert.That(expected, Is.Not.Empty, "sanity: the fixture model finds something in the image");

        // A version of its own per run: the global packages folder would otherwise serve an older copy of the same version.
        string version = $"0.0.0-packagetest.{Guid.NewGuid():N}"[..32];
        string feed = Path.Combine(work, "feed");
        string globalPackage = Path.Combine(GlobalPackagesFolder(), "digitml", version);
        try
        {
            string project = Path.Combine(RepositoryLayout.Root, "Pipelines", "DigitMl", "DigitMl.csproj");
            Dotnet(RepositoryLayout.Root, "pack", project, "--no-build", "-c", Configuration, "-o", feed, $"-p:PackageVersion={version}");
            Assert.That(File.Exists(Path.Combine(feed, $"DigitMl.{version}.nupkg")), Is.True, "pack wrote the package");
            Assert.That(File.Exists(Path.Combine(feed, $"DigitMl.{version}.snupkg")), Is.True, "pack wrote the symbols package");

            string consumer = Path.Combine(work, "Consumer");
            Directory.CreateDirectory(consumer);
            File.WriteAllText(Path.Combine(consumer, "NuGet.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="DigitMl" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(consumer, "Program.cs"), ConsumerProgram);

            string published = Path.Combine(work, "published");
            string publishLog = Dotnet(consumer, "publish", "-c", "Release", "-o", published);
            Assert.That(publishLog, Does.Not.Contain("warning NU"), "restore of the package is clean");

            var files = Directory.GetFiles(published, "*", SearchOption.AllDirectories);
            var names = files.Select(f => Path.GetRelativePath(published, f)).ToList();
            Assert.That(names, Does.Contain("DigitMl.dll"));
            Assert.That(names, Has.None.Contains("torch").IgnoreCase, "published files");
            Assert.That(names, Has.None.StartsWith("DigitMl.Training"));
            long bytes = files.Sum(f => new FileInfo(f).Length);
            TestContext.Out.WriteLine($"published service: {files.Length} files, {bytes / (1024.0 * 1024.0):0.0} MiB");

            string output = Dotnet(consumer, Path.Combine(published, "Consumer.dll"), zip, image);
            foreach (string source in new[] { "detector", "mlnet" })
            {
                var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Where(l => l.StartsWith(source + " ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToList();
                Assert.That(lines, Has.Count.EqualTo(expected.Count), $"{source}: {output}");
                for (int i = 0; i < expected.Count; i++)
                {
                    var e = expected[i];
                    float[] values = [.. lines[i].Skip(2).Select(v => float.Parse(v, CultureInfo.InvariantCulture))];
                    Assert.That(lines[i][1], Is.EqualTo(e.Label), $"{source} detection {i}");
                    Assert.That(values, Is.EqualTo(new[] { e.Score, e.Box.X0, e.Box.Y0, e.Box.X1, e.Box.Y1 }).Within(1e-3f), $"{source} detection {i}");
                }
            }
        }
        finally
        {
            if (Directory.Exists(globalPackage)) Directory.Delete(globalPackage, recursive: true);
        }
    }

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Runs the dotnet CLI as a user would (no MSBuild state of the test run, no build servers left behind).</summary>
    private static string Dotnet(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        if (args[0] is "pack" or "publish")
        {
            start.ArgumentList.Add("--disable-build-servers");
            start.ArgumentList.Add("-nologo");
        }

        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(6)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', args)} did not finish in 6 minutes:\n{stdout.Result}\n{stderr.Result}");
        }

        string output = stdout.Result + stderr.Result;
        Assert.That(process.ExitCode, Is.Zero, $"dotnet {string.Join(' ', args)} in {workingDirectory}:\n{output}");
        return output;
    }
}
