using System.Globalization;
using DigitMl.Data;
using DigitMl.Scoring;

namespace DigitMl.Tests.Scoring;

/// <summary>
/// A stand-in network whose answers are known: it "detects" the red squares a <see cref="MarkerSheet"/> draws. Each
/// connected patch of marker pixels in the input becomes one box (its exact pixel extent) at the stride-8 anchor of
/// its centre, scored 0.9 x (short side / long side), so a square cut by a window edge scores lower than a whole one;
/// a weaker copy one pixel to the right sits on the next anchor (NMS removes it). The class is read from the blue
/// channel, the marker's turn (turn-aware variant) from the green one; a 6 or 9 at turn t scores even higher (1.05 x)
/// as the other digit at turn t + 2, a confusion only the page's other digits can settle.
/// </summary>
internal sealed class MarkerNetwork : IDetectionNetwork
{
    public const int Classes = 10;
    private static readonly int[] Strides = [8, 16, 32];
    private int _runs;

    public MarkerNetwork(int trainingSize = 96, int orientations = 1, bool dynamicSpatialAxes = true)
    {
        var names = Enumerable.Range(0, Classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        Info = new OnnxModelInfo(trainingSize, names, 4 + Classes, 0)
        {
            Orientations = orientations,
            DynamicSpatialAxes = dynamicSpatialAxes,
            InputHeight = dynamicSpatialAxes ? 0 : trainingSize,
            InputWidth = dynamicSpatialAxes ? 0 : trainingSize,
        };
    }

    public OnnxModelInfo Info { get; }

    public string Source => "marker network";

    /// <summary>Inputs run so far (views).</summary>
    public int Views => Volatile.Read(ref _runs);

    public static DetectionSettings Settings(OnnxModelInfo info, InferenceSettings inference, PageOrientationMode orientation = PageOrientationMode.Auto) =>
        new(info.ImageSize, new DetectionThresholds(0.25f, 0.7f, 300), info.Names, ScoringOptions.DefaultMaxImagePixels)
        {
            Inference = inference,
            PageOrientation = orientation,
        };

    public NetworkOutputs Run(Memory<float> input, int batch, int height, int width)
    {
        if (!Info.DynamicSpatialAxes && (height != Info.InputHeight || width != Info.InputWidth))
            throw new ArgumentException($"fixed input {Info.InputWidth}x{Info.InputHeight}, got {width}x{height}");
        Interlocked.Add(ref _runs, batch);
        int anchors = Strides.Sum(s => height / s * (width / s));
        int rows = 4 + Classes, channels = Info.Orientations * Classes;
        var output0 = new float[batch * rows * anchors];
        var turns = Info.IsTurnAware ? new float[batch * channels * anchors] : null;
        int plane = width * height;
        for (int b = 0; b < batch; b++)
        {
            var pixels = input.Span.Slice(b * 3 * plane, 3 * plane);
            foreach (var marker in FindMarkers(pixels, width, height))
            {
                int cellsX = width / 8;
                int cell = ((int)(marker.Box.CenterY / 8) * cellsX) + (int)(marker.Box.CenterX / 8);
                float score = 0.9f * Math.Min(marker.Box.Width, marker.Box.Height) / Math.Max(marker.Box.Width, marker.Box.Height);
                Write(output0, turns, b, anchors, cell, marker.Box, marker.ClassId, marker.Turn, score);
                if ((cell % cellsX) + 1 < cellsX)
                {
                    var shifted = marker.Box with { X0 = marker.Box.X0 + 1, X1 = marker.Box.X1 + 1 };
                    Write(output0, turns, b, anchors, cell + 1, shifted, marker.ClassId, marker.Turn, score * 0.8f);
                }
            }
        }

        return new ArrayNetworkOutputs(output0, turns);
    }

    private void Write(float[] output0, float[]? turns, int b, int anchors, int anchor, BoundingBox box, int classId, int turn, float score)
    {
        int rows = 4 + Classes;
        int o = b * rows * anchors;
        output0[o + anchor] = box.CenterX;
        output0[o + anchors + anchor] = box.CenterY;
        output0[o + (2 * anchors) + anchor] = box.Width;
        output0[o + (3 * anchors) + anchor] = box.Height;
        if (turns is null)
        {
            output0[o + ((4 + classId) * anchors) + anchor] = Math.Max(output0[o + ((4 + classId) * anchors) + anchor], score);
            return;
        }

        int channels = Info.Orientations * Classes, t0 = b * channels * anchors;
        turns[t0 + (((turn * Classes) + classId) * anchors) + anchor] = score;
        if (classId is 6 or 9)
        {
            int other = classId == 6 ? 9 : 6, flipped = (turn + 2) % 4;
            turns[t0 + (((flipped * Classes) + other) * anchors) + anchor] = Math.Min(1f, 1.05f * score);
        }

        for (int c = 0; c < Classes; c++)
        {
            float best = 0;
            for (int t = 0; t < Info.Orientations; t++) best = Math.Max(best, turns[t0 + (((t * Classes) + c) * anchors) + anchor]);
            output0[o + ((4 + c) * anchors) + anchor] = best;
        }
    }

    private static List<(BoundingBox Box, int ClassId, int Turn)> FindMarkers(ReadOnlySpan<float> pixels, int width, int height)
    {
        int plane = width * height;
        var isMarker = new bool[plane];
        for (int i = 0; i < plane; i++)
            isMarker[i] = pixels[i] >= 250 / 255f && pixels[plane + i] <= 70 / 255f;
        var seen = new bool[plane];
        var found = new List<(BoundingBox, int, int)>();
        var queue = new Queue<int>();
        for (int start = 0; start < plane; start++)
        {
            if (!isMarker[start] || seen[start]) continue;
            int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1, inner = -1;
            seen[start] = true;
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                int p = queue.Dequeue();
                int x = p % width, y = p / width;
                (x0, y0, x1, y1) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y));
                bool interior = x > 0 && y > 0 && x < width - 1 && y < height - 1
                    && isMarker[p - 1] && isMarker[p + 1] && isMarker[p - width] && isMarker[p + width];
                if (interior && inner < 0) inner = p;
                foreach (int q in new[] { x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1 })
                {
                    if (q < 0 || seen[q] || !isMarker[q]) continue;
                    seen[q] = true;
                    queue.Enqueue(q);
                }
            }

            int colour = inner >= 0 ? inner : start;
            int classId = Math.Clamp((int)Math.Round(((pixels[(2 * plane) + colour] * 255) - 10) / 20), 0, Classes - 1);
            int turn = Math.Clamp((int)Math.Round(pixels[plane + colour] * 255 / 20), 0, 3);
            found.Add((new BoundingBox(x0, y0, x1 + 1, y1 + 1), classId, turn));
        }

        return found;
    }
}

/// <summary>A sheet of paper with red square markers (class in blue, turn code in green) at known boxes.</summary>
internal static class MarkerSheet
{
    public static RgbImage Draw(int width, int height, IEnumerable<(BoundingBox Box, int ClassId)> markers, int turnCode = 0)
    {
        var pixels = new byte[width * height * 3];
        Array.Fill(pixels, (byte)230);
        foreach (var (box, classId) in markers)
        {
            for (int y = (int)box.Y0; y < (int)box.Y1; y++)
            {
                for (int x = (int)box.X0; x < (int)box.X1; x++)
                {
                    int i = ((y * width) + x) * 3;
                    (pixels[i], pixels[i + 1], pixels[i + 2]) = (255, (byte)(20 * turnCode), (byte)((20 * classId) + 10));
                }
            }
        }

        return new RgbImage(width, height, pixels);
    }
}
