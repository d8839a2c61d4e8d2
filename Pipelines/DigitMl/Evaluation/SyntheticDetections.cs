using DigitMl.Data;

namespace DigitMl.Evaluation;

/// <summary>
/// Random ground truth and imperfect detections for benchmarks and cross-checks. Images are 640x640 split into
/// a 5x5 grid of 128 px cells; every box (true or predicted) stays inside one cell, so a detection never overlaps
/// two ground-truth boxes. Coordinates are whole pixels.
/// </summary>
public static class SyntheticDetections
{
    private const int Cell = 128, Grid = 5;

    /// <summary>
    /// <paramref name="images"/> images with 1..5 objects each and exactly <paramref name="predictionsPerImage"/> detections:
    /// jittered copies of objects (sometimes with the wrong class) and boxes in empty cells; confidences in [0.05, 1).
    /// With <paramref name="duplicates"/> false, no two detections cover the same object.
    /// </summary>
    public static (IReadOnlyList<IReadOnlyList<LabeledBox>> Truth, IReadOnlyList<IReadOnlyList<Detection>> Predictions) Generate(
        int images, int predictionsPerImage, IReadOnlyList<string> names, int seed = 0, bool duplicates = true)
    {
        var random = new Random(seed);
        int nc = names.Count;
        var truth = new List<IReadOnlyList<LabeledBox>>(images);
        var predictions = new List<IReadOnlyList<Detection>>(images);
        for (int image = 0; image < images; image++)
        {
            var cells = Enumerable.Range(0, Grid * Grid).OrderBy(_ => random.Next()).ToList();
            int objects = random.Next(1, 6);
            var boxes = new List<LabeledBox>();
            for (int k = 0; k < objects; k++) boxes.Add(new LabeledBox(random.Next(nc), RandomBoxIn(random, cells[k])));
            var unused = new Queue<int>(Enumerable.Range(0, objects));
            var emptyCells = new Queue<int>(cells.Skip(objects));

            var detections = new List<Detection>();
            for (int p = 0; p < predictionsPerImage; p++)
            {
                int classId;
                BoundingBox box;
                bool copyObject = random.NextDouble() < 0.7 && (duplicates || unused.Count > 0);
                if (copyObject)
                {
                    var target = boxes[duplicates ? random.Next(objects) : unused.Dequeue()];
                    box = Jitter(random, target.Box, random.Next(1, 16));
                    classId = random.NextDouble() < 0.85 ? target.ClassId : random.Next(nc);
                }
                else
                {
                    int cell = emptyCells.Count > 0 ? emptyCells.Dequeue() : cells[random.Next(objects, cells.Count)];
                    box = RandomBoxIn(random, cell);
                    classId = random.Next(nc);
                }
                float score = (float)(0.05 + (0.95 * random.NextDouble()));
                detections.Add(new Detection(classId, names[classId], score, box));
            }
            truth.Add(boxes);
            predictions.Add(detections);
        }
        return (truth, predictions);
    }

    private static BoundingBox RandomBoxIn(Random random, int cell)
    {
        int ox = (cell % Grid) * Cell, oy = (cell / Grid) * Cell;
        int w = random.Next(30, 80), h = random.Next(30, 80);
        int x0 = ox + 20 + random.Next(Cell - 40 - w), y0 = oy + 20 + random.Next(Cell - 40 - h);
        return new BoundingBox(x0, y0, x0 + w, y0 + h);
    }

    // moves each edge by up to `amount` pixels, staying within the object's cell (boxes keep a 20 px margin)
    private static BoundingBox Jitter(Random random, BoundingBox box, int amount)
    {
        int amt = Math.Min(amount, 15);
        float x0 = box.X0 + random.Next(-amt, amt + 1), y0 = box.Y0 + random.Next(-amt, amt + 1);
        float x1 = box.X1 + random.Next(-amt, amt + 1), y1 = box.Y1 + random.Next(-amt, amt + 1);
        if (x1 <= x0 + 2) x1 = x0 + 3;
        if (y1 <= y0 + 2) y1 = y0 + 3;
        return new BoundingBox(x0, y0, x1, y1);
    }
}
