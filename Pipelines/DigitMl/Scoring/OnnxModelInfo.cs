using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace DigitMl.Scoring;

/// <summary>What the scoring chain reads from an ONNX detector: input size and class names from the metadata, output shape.</summary>
public sealed record OnnxModelInfo(int ImageSize, IReadOnlyList<string> Names, int Outputs, int Anchors)
{
    public static OnnxModelInfo Read(string onnxPath)
    {
        if (!File.Exists(onnxPath))
            throw new FileNotFoundException($"{onnxPath}: ONNX model not found", onnxPath);
        InferenceSession session;
        try
        {
            session = new InferenceSession(onnxPath);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{onnxPath}: not a loadable ONNX model ({e.Message.Split('\n')[0]})", e);
        }

        using (session)
        {
            if (!session.InputMetadata.TryGetValue(ScoringColumns.OnnxInput, out var input) || input.Dimensions.Length != 4)
                throw new InvalidDataException($"{onnxPath}: expected an input 'images' [batch, 3, h, w] (a YOLOv8 detection export)");
            if (!session.OutputMetadata.TryGetValue(ScoringColumns.OnnxOutput, out var output) || output.Dimensions.Length != 3)
                throw new InvalidDataException($"{onnxPath}: expected an output 'output0' [batch, 4+nc, anchors] (a YOLOv8 detection export)");
            var meta = session.ModelMetadata.CustomMetadataMap;
            IReadOnlyList<string> names = meta.TryGetValue("names", out var namesText)
                ? OnnxMetadataFormat.ParseNames(namesText)
                : Enumerable.Range(0, output.Dimensions[1] - 4).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
            int imageSize = input.Dimensions[2] > 0 ? input.Dimensions[2] : 640;
            if (names.Count != output.Dimensions[1] - 4)
                throw new InvalidDataException($"{onnxPath}: metadata names {names.Count} classes but output0 has {output.Dimensions[1] - 4}");
            return new OnnxModelInfo(imageSize, names, output.Dimensions[1], output.Dimensions[2]);
        }
    }
}
