using DigitMl.Data;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DigitMl.Scoring;

/// <summary>
/// Batched inference straight on ONNX Runtime for bulk work (<c>predict</c> over a folder, <c>evaluate --model</c>):
/// the same <see cref="DetectionEngine"/> as the ML.NET chain, with the views of many images run together.
/// Thread-safe.
/// </summary>
public sealed class OnnxBatchDetector : IDisposable
{
    private readonly YoloOnnxSession _session;

    private OnnxBatchDetector(YoloOnnxSession session, DetectionEngine engine, ScoringOptions options)
    {
        _session = session;
        Engine = engine;
        Options = options;
    }

    public DetectionEngine Engine { get; }

    public OnnxModelInfo Info => _session.Info;

    public ScoringOptions Options { get; }

    public int ImageSize => Engine.Settings.ImageSize;

    public IReadOnlyList<string> Names => Engine.Settings.Names;

    /// <summary>The session options scoring uses (see <see cref="YoloOnnxSession.CreateSessionOptions"/>).</summary>
    public static Microsoft.ML.OnnxRuntime.SessionOptions CreateSessionOptions(int? intraOpThreads = null) => YoloOnnxSession.CreateSessionOptions(intraOpThreads);

    public static OnnxBatchDetector Load(string onnxPath, ScoringOptions? options = null, int maxBatch = 16)
    {
        options ??= new ScoringOptions();
        options.Validate();
        var session = YoloOnnxSession.Open(onnxPath, options.IntraOpThreads);
        try
        {
            var engine = new DetectionEngine(session, options.ToSettings(session.Info)) { MaxBatch = maxBatch };
            return new OnnxBatchDetector(session, engine, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Decodes (with the pixel limit) and detects; one list per path, in order.</summary>
    public IReadOnlyList<IReadOnlyList<Detection>> DetectFiles(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var images = new RgbImage[paths.Count];
        Parallel.For(0, paths.Count, i => images[i] = ImageLoading.Decode(paths[i], Options.MaxImagePixels));
        return Detect(images);
    }

    public IReadOnlyList<IReadOnlyList<Detection>> Detect(IReadOnlyList<RgbImage> images) =>
        DetectPages(images).Select(p => p.Detections).ToList();

    /// <summary>Detections and page turn of each image.</summary>
    public IReadOnlyList<PageDetections> DetectPages(IReadOnlyList<RgbImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return images.Count == 0 ? [] : Engine.Detect(images);
    }

    /// <summary>One bare session run on a prepared input [batch, 3, h, w] (for latency measurements).</summary>
    public void RunRaw(DenseTensor<float> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var d = input.Dimensions;
        using var outputs = _session.Run(input.Buffer, d[0], d[2], d[3]);
    }

    public void Dispose() => _session.Dispose();
}
