using DigitMl.Modeling;
using DigitMl.Training;

namespace DigitMl.Pretrained;

/// <summary>
/// The starting weights a training run names with <c>init</c>: <c>pretrained</c> (the shipped weights), one of our
/// checkpoints, a safetensors file with the reference's names, a PyTorch <c>torch.save</c> file (an Ultralytics
/// checkpoint such as yolov8n.pt, or a state dict) or a TorchSharp state dict, told apart by content. Loads them by
/// name and shape with <see cref="WeightTransfer"/>, passing on what the file says about its classes so that
/// turn-aware and plain heads of the same classes map onto each other.
/// </summary>
public static class InitialWeights
{
    /// <param name="modelNames">the class names the model is trained for (nc of them), when known.</param>
    public static WeightTransferReport LoadInto(YoloV8Model model, string init, IReadOnlyList<string>? modelNames = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var source = Read(init);
        return WeightTransfer.LoadInto(model, source.Weights, source.Description,
            new ClassCorrespondence(source.Names, source.Orientations, modelNames));
    }

    /// <summary>The weights and what is known about them.</summary>
    public static InitialWeightsSource Read(string init)
    {
        ArgumentNullException.ThrowIfNull(init);
        if (PretrainedWeights.IsName(init))
        {
            if (!PretrainedWeights.IsAvailable) throw new FileNotFoundException($"init {init}: {PretrainedWeights.MissingMessage}");
            var provenance = PretrainedWeights.Provenance;
            return new InitialWeightsSource(PretrainedWeights.Describe(provenance), "shipped pretrained weights (fp16 safetensors)",
                PretrainedWeights.ReadTensors(), provenance.Model.Names, provenance.Model.Orientations) { Provenance = provenance };
        }
        if (!File.Exists(init)) throw new FileNotFoundException($"{init}: initial weights not found", init);

        if (Checkpoint.IsCheckpoint(init))
        {
            var info = Checkpoint.ReadInfo(init);
            return new InitialWeightsSource(init, $"DigitMl checkpoint (YOLOv8{info.Scale.Name}, epoch {info.Epoch})",
                Checkpoint.ReadStoredWeights(init), info.Names, info.Orientations);
        }

        Span<byte> prefix = stackalloc byte[9];
        long length;
        using (var stream = File.OpenRead(init))
        {
            length = stream.Length;
            prefix = prefix[..stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false)];
        }
        if (SafetensorsReader.LooksLikeSafetensors(prefix, length))
        {
            var metadata = SafetensorsReader.ReadMetadata(init);
            var (names, orientations) = SafetensorsExport.ClassesOf(metadata);
            return new InitialWeightsSource(init, metadata.TryGetValue(SafetensorsExport.MetadataKeys.Producer, out var producer)
                    ? $"safetensors written by {producer}" : "safetensors", SafetensorsReader.Read(init), names, orientations) { Metadata = metadata };
        }
        if (UltralyticsCheckpointReader.LooksLikeTorchSave(prefix))
        {
            var checkpoint = UltralyticsCheckpointReader.Read(init);
            string kind = checkpoint.ModelClass is null
                ? "PyTorch state dict (torch.save)"
                : $"PyTorch checkpoint: {checkpoint.ModelClass} from '{checkpoint.Entry}'" +
                  (checkpoint.UltralyticsVersion is { } v ? $", Ultralytics {v}" : "");
            return new InitialWeightsSource(init, kind, checkpoint.Weights, checkpoint.Names, 1);
        }
        return new InitialWeightsSource(init, "TorchSharp state dict", TorchSharpStateDictReader.Read(init), null, 1);
    }
}

/// <summary>Weights read for <c>init</c>: the tensors and what their file says about them.</summary>
/// <param name="Description">the file (or the shipped weights' short name), used in reports.</param>
/// <param name="Kind">what kind of file it is, in words.</param>
/// <param name="Names">the class names the weights were trained for, when the file records them.</param>
/// <param name="Orientations">1, or 4 for a turn-aware class head.</param>
public sealed record InitialWeightsSource(string Description, string Kind, IReadOnlyDictionary<string, StoredTensor> Weights,
    IReadOnlyList<string>? Names, int Orientations)
{
    /// <summary>The provenance of the shipped weights (only for <c>pretrained</c>).</summary>
    public PretrainedProvenance? Provenance { get; init; }

    /// <summary>A safetensors file's __metadata__ (only for safetensors).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
