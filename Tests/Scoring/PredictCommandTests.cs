using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DigitMl.Export;
using DigitMl.Scoring;

namespace DigitMl.Tests.Scoring;

/// <summary>
/// The CLI in a separate process: `predict` loads a saved model.zip in a fresh process (ML.NET load with the
/// Pipelines registration) and its JSON matches this process's detections; `export` rejects bad input with one line.
/// </summary>
public sealed class PredictCommandTests
{
    [Test]
    public void PredictInAFreshProcessReproducesTheInProcessDetectionsAndWritesAllOutputs()
    {
        string folder = Path.Combine(ScoringFixtures.Directory, $"predict-{Guid.NewGuid():N}");
        string modelDir = Path.Combine(folder, "model");
        Directory.CreateDirectory(modelDir);
        string zip = Path.Combine(modelDir, "model.zip");
        ModelPackage.WriteZip(ScoringFixtures.OnnxPath, zip, new ScoringOptions { Confidence = 0.3f });
        string images = Path.Combine(folder, "images");
        Directory.CreateDirectory(images);
        foreach (string image in ScoringFixtures.Images) File.Copy(image, Path.Combine(images, Path.GetFileName(image)));
        string output = Path.Combine(folder, "out");
        string json = Path.Combine(folder, "predictions.json");

        var (exitCode, stdout, stderr) = RunCli("predict", "--model", zip, "--source", images, "--out", output, "--json", json, "--conf", "0.3", "--batch", "3");
        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("4 images"));

        using var detector = DigitDetector.Load(zip);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var entries = document.RootElement.EnumerateArray().ToList();
        Assert.That(entries, Has.Count.EqualTo(4));
        foreach (var entry in entries)
        {
            string image = entry.GetProperty("image").GetString()!;
            var expected = detector.Detect(image);
            var actual = entry.GetProperty("detections").EnumerateArray().ToList();
            Assert.That(actual, Has.Count.EqualTo(expected.Count), image);
            for (int i = 0; i < actual.Count; i++)
            {
                Assert.That(actual[i].GetProperty("label").GetString(), Is.EqualTo(expected[i].Label));
                Assert.That(actual[i].GetProperty("confidence").GetDouble(), Is.EqualTo(expected[i].Score).Within(1e-4));
                var box = actual[i].GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
                Assert.That(box, Is.EqualTo(new[] { expected[i].Box.X0, expected[i].Box.Y0, expected[i].Box.X1, expected[i].Box.Y1 }).Within(0.01f));
            }

            string stem = Path.GetFileNameWithoutExtension(image);
            Assert.That(File.Exists(Path.Combine(output, stem + ".png")), Is.True);
            var lines = File.ReadAllLines(Path.Combine(output, "labels", stem + ".txt"));
            Assert.That(lines, Has.Length.EqualTo(expected.Count));
            foreach (string line in lines)
            {
                var values = line.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                Assert.That(values, Has.Length.EqualTo(6));
                Assert.That(values.Skip(1), Is.All.InRange(0.0, 1.0));
            }
        }
    }

    [Test]
    public void PredictTakesTheInferenceOptionsAndReportsThePageTurnOfATurnAwareModel()
    {
        string folder = Path.Combine(ScoringFixtures.Directory, $"predict-tiles-{Guid.NewGuid():N}");
        string images = Path.Combine(folder, "images");
        Directory.CreateDirectory(images);
        string sheet = Path.Combine(images, "sheet.png");
        File.Copy(ScoringFixtures.LargeImage, sheet);
        string json = Path.Combine(folder, "predictions.json");

        var (exitCode, stdout, stderr) = RunCli(
            "predict", "--model", ScoringFixtures.TurnAwareOnnxPath, "--source", images, "--out", Path.Combine(folder, "out"), "--json", json,
            "--conf", "0.05", "--inference", "tiles", "--tile-size", "64", "--overlap", "0.3", "--no-images");
        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("page turns (turn-aware model)"));

        var options = new ScoringOptions { Confidence = 0.05f, Inference = InferenceMode.Tiles, TileSize = 64, TileOverlap = 0.3f };
        using var detector = OnnxBatchDetector.Load(ScoringFixtures.TurnAwareOnnxPath, options);
        var expected = detector.DetectPages([DigitMl.Data.ImageDecoder.Decode(sheet)])[0];
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var entry = document.RootElement[0];
        Assert.That(entry.GetProperty("page_turn").GetInt32(), Is.EqualTo(expected.PageTurn));
        var scores = entry.GetProperty("detections").EnumerateArray().Select(d => d.GetProperty("confidence").GetDouble()).ToList();
        Assert.That(scores, Is.EqualTo(expected.Detections.Select(d => Math.Round(d.Score, 5))).Within(1e-6));
        Assert.That(scores, Is.Not.Empty);
    }

    [Test]
    public void AnUnknownInferenceModeFailsWithOneLine()
    {
        var (exitCode, _, stderr) = RunCli("predict", "--model", ScoringFixtures.OnnxPath, "--source", ScoringFixtures.LargeImage, "--out", Path.Combine(ScoringFixtures.Directory, "never"), "--inference", "sideways");
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain("sideways"));
    }

    [Test]
    public void ExportOfAMissingCheckpointFailsWithOneLine()
    {
        var (exitCode, _, stderr) = RunCli("export", "--model", "/nonexistent/run", "--out", Path.Combine(Path.GetTempPath(), "x.onnx"));
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain("/nonexistent/run"));
    }

    internal static (int ExitCode, string Stdout, string Stderr) RunCli(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "DigitMl.Experiments.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("CLI did not finish in 120 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
