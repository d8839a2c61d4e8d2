using System.Buffers;
using DigitMl.Data;

namespace DigitMl.Scoring;

/// <summary>
/// The one implementation of detection that every path shares (the ML.NET chain's mapping, <see cref="DigitDetector"/>,
/// <see cref="OnnxBatchDetector"/> for predict and evaluate): image -> views (<see cref="InferencePlanner"/>) ->
/// network inputs (<see cref="ViewPixels"/>) batched by input size -> ONNX Runtime -> candidates -> page turn vote for
/// turn-aware models (<see cref="PageTurnVote"/>) -> NMS (one view) or the tile merge (<see cref="TileMerge"/>) ->
/// boxes in the image's own pixels, clipped to it.
/// <para>A letterboxed image goes through exactly the steps of the reference's predictor and of the chain before
/// native and tiled inference existed: NMS in letterbox pixels, then the boxes mapped back and clipped.</para>
/// Thread-safe; it does not own its session.
/// </summary>
public sealed class DetectionEngine
{
    public DetectionEngine(IDetectionNetwork session, DetectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Thresholds.Validate();
        settings.Inference.Validate();
        var model = session.Info;
        if (settings.Names.Count != model.Names.Count)
            throw new ArgumentException($"{settings.Names.Count} class names given but {session.Source} has {model.Names.Count} classes", nameof(settings));
        if (settings.ImageSize < InferencePlanner.Stride || settings.ImageSize % InferencePlanner.Stride != 0)
            throw new ArgumentException($"image size {settings.ImageSize} must be a positive multiple of {InferencePlanner.Stride}", nameof(settings));
        if (!model.DynamicSpatialAxes && (model.InputWidth != settings.ImageSize || model.InputHeight != settings.ImageSize))
            throw new ArgumentException($"image size {settings.ImageSize}: {session.Source} has a fixed input of {model.InputWidth}x{model.InputHeight}", nameof(settings));
        if (!model.DynamicSpatialAxes && settings.Inference.Mode == InferenceMode.Native)
            throw new ArgumentException($"native-size inference needs dynamic spatial axes, but {session.Source} is fixed at {model.InputWidth}x{model.InputHeight}: re-export it (export --model ...) or use tiles", nameof(settings));
        if (!model.DynamicSpatialAxes && settings.Inference.TileSize is { } tile && tile != model.InputHeight)
            throw new ArgumentException($"tile size {tile}: {session.Source} has a fixed input of {model.InputWidth}x{model.InputHeight}", nameof(settings));
        Session = session;
        Settings = settings;
    }

    public IDetectionNetwork Session { get; }

    public DetectionSettings Settings { get; }

    public OnnxModelInfo Model => Session.Info;

    /// <summary>Most views per ONNX Runtime run (tiles of one image, or letterboxed images of a batch).</summary>
    public int MaxBatch { get; init; } = 16;

    /// <summary>True when the page turn is voted (a turn-aware model with page orientation not off).</summary>
    public bool VotesPageTurn => Model.IsTurnAware && Settings.PageOrientation != PageOrientationMode.Off;

    public InferencePlan Plan(int width, int height) => InferencePlanner.Plan(width, height, Settings.ImageSize, Model, Settings.Inference);

    public PageDetections Detect(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Detect([image])[0];
    }

    /// <summary>Detects in several images, running views of equal input size together (batches of <see cref="MaxBatch"/>).</summary>
    public IReadOnlyList<PageDetections> Detect(IReadOnlyList<RgbImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var plans = new InferencePlan[images.Count];
        var candidates = new List<Candidate>[images.Count][];
        var groups = new Dictionary<(int Width, int Height), List<(int Image, int View)>>();
        var groupOrder = new List<(int Width, int Height)>();
        for (int i = 0; i < images.Count; i++)
        {
            plans[i] = Plan(images[i].Width, images[i].Height);
            candidates[i] = new List<Candidate>[plans[i].Views.Count];
            for (int v = 0; v < plans[i].Views.Count; v++)
            {
                var key = (plans[i].Views[v].InputWidth, plans[i].Views[v].InputHeight);
                if (!groups.TryGetValue(key, out var jobs))
                {
                    groups[key] = jobs = [];
                    groupOrder.Add(key);
                }

                jobs.Add((i, v));
            }
        }

        foreach (var key in groupOrder)
        {
            var jobs = groups[key];
            for (int start = 0; start < jobs.Count; start += MaxBatch)
                RunBatch(images, plans, candidates, jobs, start, Math.Min(MaxBatch, jobs.Count - start), key.Width, key.Height);
        }

        var results = new PageDetections[images.Count];
        for (int i = 0; i < images.Count; i++)
            results[i] = Finish(plans[i], candidates[i]);
        return results;
    }

    private void RunBatch(
        IReadOnlyList<RgbImage> images, InferencePlan[] plans, List<Candidate>[][] candidates,
        List<(int Image, int View)> jobs, int start, int count, int width, int height)
    {
        int plane = 3 * width * height;
        var buffer = ArrayPool<float>.Shared.Rent(count * plane);
        try
        {
            if (count == 1)
            {
                var (i, v) = jobs[start];
                ViewPixels.Write(images[i], plans[i].Views[v], buffer.AsSpan(0, plane));
            }
            else
            {
                Parallel.For(0, count, k =>
                {
                    var (i, v) = jobs[start + k];
                    ViewPixels.Write(images[i], plans[i].Views[v], buffer.AsSpan(k * plane, plane));
                });
            }

            using var outputs = Session.Run(buffer.AsMemory(0, count * plane), count, height, width);
            var output0 = outputs.Output0;
            var turns = VotesPageTurn ? outputs.Turns : default;
            if (VotesPageTurn && turns.Length * (4 + Model.Names.Count) != output0.Length * Model.Orientations * Model.Names.Count)
                throw new InvalidDataException($"{Session.Source}: the turns output does not hold {Model.Orientations} x {Model.Names.Count} scores per anchor");
            int perImage = output0.Length / count, perImageTurns = turns.Length / count;
            for (int k = 0; k < count; k++)
            {
                var (i, v) = jobs[start + k];
                candidates[i][v] = Extract(output0.Slice(k * perImage, perImage), VotesPageTurn ? turns.Slice(k * perImageTurns, perImageTurns) : default);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>One view's candidates in input pixels, in anchor order.</summary>
    private List<Candidate> Extract(ReadOnlySpan<float> output0, ReadOnlySpan<float> turns)
    {
        int nc = Model.Names.Count;
        float confidence = Settings.Thresholds.Confidence;
        if (!VotesPageTurn)
            return YoloOutputDecoder.Candidates(output0, nc, confidence, Settings.MultiLabel).Select(b => new Candidate(b, null)).ToList();

        int anchors = YoloOutputDecoder.AnchorCount(output0.Length, nc);
        int channels = Model.Orientations * nc;
        var found = new List<Candidate>();
        foreach (int a in YoloOutputDecoder.CandidateAnchors(output0, nc, confidence))
        {
            var scores = new float[channels];
            for (int k = 0; k < channels; k++) scores[k] = turns[(k * anchors) + a];
            found.Add(new Candidate(new ScoredBox(-1, 0, YoloOutputDecoder.AnchorBox(output0, anchors, a)), scores));
        }

        return found;
    }

    private PageDetections Finish(InferencePlan plan, List<Candidate>[] perView)
    {
        int? pageTurn = null;
        var boxes = new List<ScoredBox>[perView.Length];
        if (VotesPageTurn)
        {
            int turn = PageTurnVote.Vote(perView.SelectMany(v => v).Select(c => c.TurnScores!), Model.Names.Count, Model.Orientations);
            pageTurn = turn * 90;
            for (int v = 0; v < perView.Length; v++) boxes[v] = Rescore(perView[v], turn);
        }
        else
        {
            for (int v = 0; v < perView.Length; v++) boxes[v] = perView[v].Select(c => c.Box).ToList();
        }

        var t = Settings.Thresholds;
        IEnumerable<(ScoredBox Box, InferenceView View)> kept;
        if (plan.Views.Count == 1)
        {
            var view = plan.Views[0];
            kept = Nms.Apply(boxes[0], t.IoU, t.MaxDetections, t.ClassAgnostic).Select(b => (b with { Box = view.ToSource(b.Box) }, view));
        }
        else
        {
            var tiles = new List<TileCandidate>();
            for (int v = 0; v < boxes.Length; v++)
            {
                var view = plan.Views[v];
                foreach (var b in boxes[v])
                {
                    // a window's boxes are clipped to the window, as a whole image's are to the image
                    var source = b with { Box = ClipToView(view.ToSource(b.Box), view) };
                    tiles.Add(new TileCandidate(source, v, view.TouchesSeam(source.Box, TileMerge.SeamMargin)));
                }
            }

            float tileSide = plan.Views.Max(v => Math.Max(v.SourceWidth, v.SourceHeight));
            kept = TileMerge.Merge(tiles, t, tileSide).Select(b => (b, plan.Views[0]));
        }

        var detections = kept
            .Select(k => new Detection(k.Box.ClassId, Settings.Names[k.Box.ClassId], k.Box.Score, Clip(k.Box.Box, plan.ImageWidth, plan.ImageHeight)))
            .ToList();
        return new PageDetections(detections, pageTurn);
    }

    /// <summary>Class scores on the voted page turn, then the single- or multi-label candidates above the threshold.</summary>
    private List<ScoredBox> Rescore(List<Candidate> candidates, int turn)
    {
        int nc = Model.Names.Count;
        float confidence = Settings.Thresholds.Confidence;
        var classScores = new float[nc];
        var result = new List<ScoredBox>();
        foreach (var candidate in candidates)
        {
            PageTurnVote.Rescore(candidate.TurnScores, nc, turn, Settings.TurnPenalty, classScores);
            if (Settings.MultiLabel)
            {
                for (int c = 0; c < nc; c++)
                    if (classScores[c] > confidence) result.Add(new ScoredBox(c, classScores[c], candidate.Box.Box));
                continue;
            }

            int best = 0;
            for (int c = 1; c < nc; c++)
                if (classScores[c] > classScores[best]) best = c;
            if (classScores[best] > confidence) result.Add(new ScoredBox(best, classScores[best], candidate.Box.Box));
        }

        return result;
    }

    private static BoundingBox ClipToView(BoundingBox box, InferenceView view)
    {
        float x1 = view.SourceX + view.SourceWidth, y1 = view.SourceY + view.SourceHeight;
        return new(Math.Clamp(box.X0, view.SourceX, x1), Math.Clamp(box.Y0, view.SourceY, y1), Math.Clamp(box.X1, view.SourceX, x1), Math.Clamp(box.Y1, view.SourceY, y1));
    }

    private static BoundingBox Clip(BoundingBox box, int width, int height) =>
        new(Math.Clamp(box.X0, 0, width), Math.Clamp(box.Y0, 0, height), Math.Clamp(box.X1, 0, width), Math.Clamp(box.Y1, 0, height));

    /// <summary>A candidate box (input pixels) with, for turn-aware models, its per-turn class scores.</summary>
    private readonly record struct Candidate(ScoredBox Box, float[]? TurnScores);
}
