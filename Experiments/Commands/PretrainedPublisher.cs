using System.Text.Json.Nodes;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Sweeps;
using DigitMl.Export;
using DigitMl.Pretrained;
using DigitMl.Training;

namespace DigitMl.Experiments.Commands;

/// <summary>
/// `export --model artifacts/EXPERIMENT/vNNNN --pretrained`: writes the shipped weights (fp16 safetensors with
/// Ultralytics names) and their provenance into artifacts/pretrained/, from an artifact version: the experiment
/// definition (the file the sweep ran, when it was one), the trial's settings, data and fingerprint, git commit,
/// epochs and hours from its config.json, trial.json, metrics.json and checkpoint, plus the robustness suite's
/// JSON when given. docs/pretrained.md.
/// </summary>
public static class PretrainedPublisher
{
    public static PretrainedProvenance Publish(string versionDirectory, string destinationDirectory, string? robustnessJson)
    {
        ArgumentNullException.ThrowIfNull(versionDirectory);
        ArgumentNullException.ThrowIfNull(destinationDirectory);
        string version = Path.GetFullPath(versionDirectory);
        string configPath = Path.Combine(version, TrialConfig.FileName);
        var config = JsonFiles.ReadObject(configPath)
            ?? throw new FileNotFoundException($"{version}: no {TrialConfig.FileName}; --pretrained publishes an artifact version folder (artifacts/EXPERIMENT/vNNNN)", configPath);
        JsonNode? robustness = null;
        if (robustnessJson is not null)
        {
            try
            {
                robustness = JsonNode.Parse(File.ReadAllText(robustnessJson));
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new InvalidDataException($"{robustnessJson}: not JSON ({e.Message})", e);
            }
        }

        string checkpoint = ModelPackage.ResolveCheckpoint(version);
        var info = Checkpoint.ReadInfo(checkpoint);
        string weightsPath = Path.Combine(destinationDirectory, PretrainedWeights.WeightsFileName);
        string provenancePath = Path.Combine(destinationDirectory, PretrainedWeights.ProvenanceFileName);
        var previous = File.Exists(provenancePath) ? PretrainedProvenance.Read(provenancePath) : null;

        var export = SafetensorsExport.Write(checkpoint, weightsPath, fp16: true);
        string sha256 = PretrainedWeights.Sha256Of(File.ReadAllBytes(weightsPath));
        var outcome = TrialOutcome.Read(version);
        var provenance = new PretrainedProvenance
        {
            Release = previous is null ? 1 : previous.Sha256 == sha256 ? previous.Release : previous.Release + 1,
            File = PretrainedWeights.WeightsFileName,
            Sha256 = sha256,
            Bytes = export.Bytes,
            Dtype = "F16",
            Tensors = export.Tensors,
            Model = new PretrainedModel(info.Scale.Name, [.. info.Names], info.Orientations, info.ImageSize, info.RegMax),
            Training = Training(config, version, info, outcome),
            // a table measured on other weights does not describe these
            Robustness = robustness ?? (previous?.Sha256 == sha256 ? previous.Robustness?.DeepClone() : null),
        };
        provenance.Write(provenancePath);
        // the weights just written must verify against what the provenance says about them
        PretrainedWeights.Verify(weightsPath, provenance);
        return provenance;
    }

    private static PretrainedTraining Training(JsonObject config, string version, CheckpointInfo info, TrialOutcome? outcome)
    {
        string experiment = JsonFiles.Text(config, "experiment") ?? Path.GetFileName(Path.GetDirectoryName(version)!);
        var (source, definition) = Definition(config, version, experiment);
        string? machine = config["machine"] is JsonObject m
            ? $"{m["cores"]} cores, {m["architecture"]}, {m["os"]}, {m["runtime"]}"
            : null;
        return new PretrainedTraining
        {
            Experiment = experiment,
            Version = JsonFiles.Text(config, "version") ?? Path.GetFileName(version),
            DefinitionSource = source,
            Definition = definition,
            Hyperparameters = config["hyperparameters"]?.DeepClone() as JsonObject,
            Data = config["data"]?.DeepClone() as JsonObject,
            DataFingerprint = JsonFiles.Text(config["data"], "fingerprint"),
            GitCommit = JsonFiles.Text(config, "git_commit"),
            Epochs = info.Epoch,
            Hours = outcome is null ? null : outcome.TrainSeconds / 3600, // unrounded: a test-sized run lasts seconds
            Machine = machine,
            Fitness = double.IsFinite(info.Fitness) ? info.Fitness : null,
            Metrics = JsonFiles.ReadObject(Path.Combine(version, MetricsFile.FileName)),
        };
    }

    /// <summary>Where the experiment's definition came from (the sweep state records it) and its text when it was a file.</summary>
    private static (string? Source, string? Text) Definition(JsonObject config, string version, string experiment)
    {
        string? sweepId = JsonFiles.Text(config["sweep"], "id");
        var experimentDirectory = Path.GetDirectoryName(version)!;
        var store = new ArtifactStore(Path.GetDirectoryName(experimentDirectory)!);
        string statePath = sweepId is null ? "" : Path.Combine(SweepState.Directory(store, experiment), sweepId + ".json");
        if (!File.Exists(statePath)) return (null, null);
        var source = SweepState.Load(statePath).Source;
        return (source, source is not null && File.Exists(source) ? File.ReadAllText(source) : null);
    }
}
