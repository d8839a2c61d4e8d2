using DigitMl.Experiments.Artifacts;
using DigitMl.Scoring;

namespace DigitMl.Experiments.Serve;

/// <summary>
/// Where the served model comes from: a fixed path (artifact folder, model.zip or model.onnx) or an experiment's
/// <c>best</c> pointer, which names the version folder to serve and may change while the service runs.
/// </summary>
public sealed class ModelSource
{
    private readonly ArtifactStore? _store;
    private readonly string? _experiment;

    private ModelSource(string? path, ArtifactStore? store, string? experiment)
    {
        Path = path;
        _store = store;
        _experiment = experiment;
    }

    /// <summary>The fixed model path, or null when the best pointer decides.</summary>
    public string? Path { get; }

    /// <summary>The best pointer file that decides, or null for a fixed path.</summary>
    public string? BestPointer => _store?.BestPointerPath(_experiment!);

    public static ModelSource FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new ModelSource(System.IO.Path.GetFullPath(path), null, null);
    }

    /// <summary>The version that <c>&lt;artifactsRoot&gt;/&lt;experiment&gt;/best</c> names (the main job writes it).</summary>
    public static ModelSource FromBestPointer(string artifactsRoot, string experiment)
    {
        var store = new ArtifactStore(artifactsRoot);
        _ = store.ExperimentDirectory(experiment); // validates the name
        return new ModelSource(null, store, experiment);
    }

    /// <summary>The pointer's current text (null when there is none), to notice a change without loading anything.</summary>
    public string? ReadPointer()
    {
        string? pointer = BestPointer;
        if (pointer is null || !File.Exists(pointer)) return null;
        try
        {
            return File.ReadAllText(pointer).Trim();
        }
        catch (IOException)
        {
            return null; // being rewritten: read again on the next poll
        }
    }

    /// <summary>The model file to load now and how to name it. Throws with a message naming the path when there is none.</summary>
    public ResolvedModel Resolve()
    {
        if (Path is not null)
        {
            string file = ModelFiles.Resolve(Path);
            string folder = System.IO.Path.GetDirectoryName(file)!;
            string folderName = System.IO.Path.GetFileName(folder);
            return VersionName.Parse(folderName) is not null
                ? new ResolvedModel(file, folderName, System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(folder)))
                : new ResolvedModel(file, System.IO.Path.GetFileName(file), null);
        }

        string versionFolder = _store!.BestVersionDirectory(_experiment!)
            ?? throw new FileNotFoundException(
                $"{BestPointer}: no best model yet (the main job `sweep` writes it); train one or pass --model PATH", BestPointer);
        return new ResolvedModel(ModelFiles.Resolve(versionFolder), System.IO.Path.GetFileName(versionFolder), _experiment);
    }

    public override string ToString() => Path ?? $"best of {_experiment} ({BestPointer})";
}

/// <summary>A model file about to be loaded: its path, the version shown to clients (vNNNN, else the file name) and its experiment when known.</summary>
public sealed record ResolvedModel(string File, string Version, string? Experiment);
