using DigitMl.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DigitMl.Scoring;

/// <summary>
/// Batched inference straight on ONNX Runtime for bulk work (the <c>predict</c> command over a folder): the same
/// decode, letterbox, pixel conversion and post-processing as the ML.NET chain, but N images per session run.
/// Not thread-safe for concurrent <see cref="Detect(IReadOnlyList{RgbImage})"/> calls (it reuses its input buffer).
/// </summary>
public sealed class OnnxBatchDetector : IDisposable
{
    private readonly InferenceSession _session;
    private float[] _input = [];

    private OnnxBatchDetector(InferenceSession session, OnnxModelInfo info, ScoringOptions options)
    {
        _session = session;
        Info = info;
        Options = options;
        ImageSize = options.ImageSize ?? info.ImageSize;
        Names = options.Names ?? info.Names;
    }

    public OnnxModelInfo Info { get; }

    public ScoringOptions Options { get; }

    public int ImageSize { get; }

    public IReadOnlyList<string> Names { get; }

    /// <summary>Session options used for scoring: all cores for intra-op work, every graph optimisation.</summary>
    public static SessionOptions CreateSessionOptions(int? intraOpThreads = null) => new()
    {
        IntraOpNumThreads = intraOpThreads ?? Environment.ProcessorCount,
        InterOpNumThreads = 1,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
    };

    public static OnnxBatchDetector Load(string onnxPath, ScoringOptions? options = null)
    {
        options ??= new ScoringOptions();
        options.Thresholds.Validate();
        var info = OnnxModelInfo.Read(onnxPath);
        using var sessionOptions = CreateSessionOptions(options.IntraOpThreads);
        return new OnnxBatchDetector(new InferenceSession(onnxPath, sessionOptions), info, options);
    }

    /// <summary>Decodes (with the pixel limit) and detects; one list per path, in order.</summary>
    public IReadOnlyList<IReadOnlyList<Detection>> DetectFiles(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var images = new RgbImage[paths.Count];
        Parallel.For(0, paths.Count, i => images[i] = ImageLoading.Decode(paths[i], Options.MaxImagePixels));
        return Detect(images);
    }

    public IReadOnlyList<IReadOnlyList<Detection>> Detect(IReadOnlyList<RgbImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) return [];
        int size = ImageSize, plane = 3 * size * size;
        if (_input.Length != images.Count * plane) _input = new float[images.Count * plane];
        var letterboxes = new LetterboxResult[images.Count];
        var input = _input;
        Parallel.For(0, images.Count, i =>
        {
            letterboxes[i] = Letterbox.Apply(images[i], size, size);
            Letterbox.ToChwFloats(letterboxes[i].Image, input.AsSpan(i * plane, plane));
        });

        var tensor = new DenseTensor<float>(_input, [images.Count, 3, size, size]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(ScoringColumns.OnnxInput, tensor)]);
        var output = ((DenseTensor<float>)results[0].AsTensor<float>()).Buffer;
        int perImage = output.Length / images.Count;
        var detections = new IReadOnlyList<Detection>[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var boxes = YoloOutputDecoder.Decode(output.Span.Slice(i * perImage, perImage), Names.Count, Options.Thresholds, Options.MultiLabel);
            detections[i] = boxes.Select(b => new Detection(b.ClassId, Names[b.ClassId], b.Score, letterboxes[i].ToOriginal(b.Box))).ToList();
        }

        return detections;
    }

    /// <summary>One bare session run on a prepared input [batch, 3, s, s] (for latency measurements).</summary>
    public void RunRaw(DenseTensor<float> input)
    {
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(ScoringColumns.OnnxInput, input)]);
    }

    public void Dispose() => _session.Dispose();
}
