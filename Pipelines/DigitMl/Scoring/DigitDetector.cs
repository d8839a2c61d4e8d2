using DigitMl.Data;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Scoring;

/// <summary>
/// Facade for services: loads a detector (artifact folder, model.zip or model.onnx) and detects objects in an image
/// file, image bytes or a stream. Thread-safe: calls borrow a PredictionEngine from a pool.
/// <code>
/// using var detector = DigitDetector.Load("artifacts/digits/v0001");
/// IReadOnlyList&lt;Detection&gt; found = detector.Detect("page.png");
/// </code>
/// Bad input throws: <see cref="FileNotFoundException"/> (missing file), <see cref="InvalidDataException"/>
/// (unreadable or empty image, image above <see cref="ScoringOptions.MaxImagePixels"/>, wrong model file).
/// </summary>
public sealed class DigitDetector : IDisposable
{
    /// <summary>Streams larger than this are refused before being read completely (256 MiB).</summary>
    public const long MaxStreamBytes = 256L * 1024 * 1024;

    // DefaultObjectPoolProvider makes a disposing pool for IDisposable items: an engine returned to a full pool is
    // disposed at once, and disposing the pool disposes the engines it holds (and those returned after it)
    private readonly ObjectPool<PredictionEngine<DetectionScoringChain.ImagePathRow, DetectionPrediction>> _engines;
    private bool _disposed;

    private DigitDetector(MLContext mlContext, ITransformer chain, DetectionSettings settings, string source)
    {
        MLContext = mlContext;
        Transformer = chain;
        Settings = settings;
        Source = source;
        _engines = new DefaultObjectPoolProvider { MaximumRetained = Environment.ProcessorCount * 4 }
            .Create(new EnginePolicy(mlContext, chain));
    }

    public MLContext MLContext { get; }

    /// <summary>The scoring chain (ImagePath -> PredictedLabels, PredictedBoxes, Scores).</summary>
    public ITransformer Transformer { get; }

    public DetectionSettings Settings { get; }

    public IReadOnlyList<string> Names => Settings.Names;

    /// <summary>The model file that was loaded.</summary>
    public string Source { get; }

    /// <summary>
    /// Loads <paramref name="path"/>: a folder (its model.zip, else model.onnx), a model.zip saved from the scoring chain
    /// or a YOLOv8 detection ONNX file (see <see cref="ModelFiles.Resolve"/>). <paramref name="options"/> thresholds
    /// replace the saved ones when given.
    /// </summary>
    public static DigitDetector Load(string path, ScoringOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string file = ModelFiles.Resolve(path);
        var ml = new MLContext(seed: 0);
        DetectionScoringChain.Register(ml);
        // the detector reads the chain's default columns
        options = options is null ? null : options with
        {
            InputColumnName = null, PredictedLabelsColumnName = ScoringColumns.PredictedLabels,
            PredictedBoxesColumnName = ScoringColumns.PredictedBoxes, ScoresColumnName = ScoringColumns.Scores, PageTurnColumnName = ScoringColumns.PageTurn,
        };
        ITransformer chain;
        if (file.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            chain = DetectionScoringChain.Create(ml, file, options);
        }
        else
        {
            try
            {
                chain = ml.Model.Load(file, out _);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                string hint = e.Message.Contains("DigitMl.Scoring.Letterbox", StringComparison.Ordinal) || e.Message.Contains("DigitMl.Scoring.YoloPostProcess", StringComparison.Ordinal)
                    ? $"; it was saved by an older DigitMl: write it again with `dotnet run --project Experiments -- export --model {Path.GetDirectoryName(Path.GetFullPath(file))} --zip {file}`"
                    : "";
                throw new InvalidDataException($"{file}: not a loadable ML.NET model.zip ({FirstLine(e.Message)}){hint}", e);
            }

            if (options is not null)
                chain = DetectionScoringChain.WithOptions(ml, chain, options);
        }

        var settings = DetectionScoringChain.ReadSettings(ml, chain)
            ?? throw new InvalidDataException($"{file}: the model has no {ScoringColumns.Settings} column: not a DigitMl scoring chain");
        var detector = new DigitDetector(ml, chain, settings, file);
        detector.WarmUp();
        return detector;
    }

    /// <summary>
    /// Scores one small blank image so the ONNX Runtime session (built from the model inside the chain on the first
    /// row) and its first-run allocations are ready before the first real call.
    /// </summary>
    private void WarmUp()
    {
        var blank = new RgbImage(InferencePlanner.Stride, InferencePlanner.Stride);
        Array.Fill(blank.Pixels, Letterbox.PadValue);
        DetectPage(ImageEncoder.EncodePng(blank));
    }

    public IReadOnlyList<Detection> Detect(string imagePath) => DetectPage(imagePath).Detections;

    public IReadOnlyList<Detection> Detect(byte[] imageBytes) => DetectPage(imageBytes).Detections;

    public IReadOnlyList<Detection> Detect(Stream imageStream) => DetectPage(imageStream).Detections;

    /// <summary>Detections and, for turn-aware models, the page turn (degrees clockwise) of an image file.</summary>
    public PageDetections DetectPage(string imagePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var engine = _engines.Get();
        try
        {
            var row = new DetectionScoringChain.ImagePathRow { ImagePath = imagePath };
            var prediction = new DetectionPrediction();
            try
            {
                engine.Predict(row, ref prediction);
            }
            catch (Exception e) when (FindImageError(e) is { } inner && inner != e)
            {
                ExceptionDispatchInfo.Capture(inner).Throw();
            }

            var detections = DetectionScoringChain.ToDetections(prediction.PredictedLabels, prediction.PredictedBoxes, prediction.Scores, Names);
            return new PageDetections(detections, prediction.PageTurn >= 0 ? prediction.PageTurn : null);
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    public PageDetections DetectPage(byte[] imageBytes)
    {
        ArgumentNullException.ThrowIfNull(imageBytes);
        using var lease = InMemoryImages.Register(imageBytes, "image-bytes");
        return DetectPage(lease.Path);
    }

    public PageDetections DetectPage(Stream imageStream)
    {
        ArgumentNullException.ThrowIfNull(imageStream);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = imageStream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxStreamBytes)
                throw new InvalidDataException($"image stream is larger than {MaxStreamBytes} bytes");
            buffer.Write(chunk, 0, read);
        }

        return DetectPage(buffer.ToArray());
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        (_engines as IDisposable)?.Dispose();
    }

    private static Exception? FindImageError(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is InvalidDataException or FileNotFoundException) return current;
        }

        return null;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private sealed class EnginePolicy(MLContext mlContext, ITransformer chain) : IPooledObjectPolicy<PredictionEngine<DetectionScoringChain.ImagePathRow, DetectionPrediction>>
    {
        public PredictionEngine<DetectionScoringChain.ImagePathRow, DetectionPrediction> Create() =>
            mlContext.Model.CreatePredictionEngine<DetectionScoringChain.ImagePathRow, DetectionPrediction>(chain);

        public bool Return(PredictionEngine<DetectionScoringChain.ImagePathRow, DetectionPrediction> obj) => true;
    }
}
