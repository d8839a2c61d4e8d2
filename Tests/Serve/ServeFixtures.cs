using System.Diagnostics;
using DigitMl.Data;
using DigitMl.Data.Scenes;
using DigitMl.Export;
using DigitMl.Modeling;
using DigitMl.Scoring;
using DigitMl.Tests.TestData;
using DigitMl.Training;

namespace DigitMl.Tests.Serve;

/// <summary>
/// Shared by the service tests (made once per run): a tiny YOLOv8 trained for a few seconds on generated 64 px scenes,
/// packaged as an artifact folder (model.onnx, model.zip, metrics.json) the way `train` leaves one, and generated
/// test scenes to send it.
/// </summary>
internal static class ServeFixtures
{
    public const int ImageSize = 64;

    private static readonly Lazy<(string Folder, IReadOnlyList<string> Scenes)> Made = new(Make, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>An artifact folder named like a version: model.zip, model.onnx and metrics.json.</summary>
    public static string ModelFolder => Made.Value.Folder;

    public static string OnnxPath => Path.Combine(ModelFolder, ModelFiles.OnnxFileName);

    public static string ZipPath => Path.Combine(ModelFolder, ModelFiles.ZipFileName);

    /// <summary>Generated training scenes (64x64 PNG, 1-4 digits each), the most crowded first.</summary>
    public static IReadOnlyList<string> Scenes => Made.Value.Scenes;

    private static (string, IReadOnlyList<string>) Make()
    {
        var timer = Stopwatch.StartNew();
        string root = TinyScenes.NewTempDirectory("serve");
        var dataset = YoloDataset.Load(SceneGenerator.Generate(
            TinyScenes.Mnist,
            Path.Combine(root, "scenes"),
            TinyScenes.Options(32, 4, 24, imgsz: ImageSize, seed: 31) with { MinDigitHeight = 18, MaxDigitHeight = 30 }));
        var options = TinyTrainerOptions.Plain(Path.Combine(root, "run"), epochs: 24) with { Lrf = 1.0, Seed = 5, Validate = false };
        var trained = TrainingLoop.Run(options, dataset.Split("train"), dataset.Split("val"), dataset.Names);

        string folder = Path.Combine(root, "artifacts", "tiny", "v0001");
        ModelPackage.Write(trained.LastCheckpoint, folder);
        File.WriteAllText(Path.Combine(folder, "metrics.json"), """{ "map50": 0.5, "map50_95": 0.25, "images": 4 }""");
        TestContext.Progress.WriteLine($"serve fixture: tiny model trained {trained.EpochsRun} epochs in {timer.Elapsed.TotalSeconds:F1} s");
        // the service is tested on the scenes the tiny model memorised: the tests are about serving, not accuracy,
        // and a 24-epoch tiny model finds too little on unseen scenes for the comparisons to mean anything
        // (scenes with digits, the most crowded first, so that max_det has something to cut)
        return (folder, dataset.Split("train").Where(s => s.Objects.Count > 0).OrderByDescending(s => s.Objects.Count)
            .Take(24).Select(s => s.ImagePath).ToList());
    }
}
