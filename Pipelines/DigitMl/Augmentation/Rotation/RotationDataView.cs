using DigitMl.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Augmentation.Rotation;

/// <summary>
/// Rotation augmentation over a data view: it changes the number of rows, which ML.NET's row-to-row transformers
/// cannot do, so like ML.NET's own row-count operations (<c>mlContext.Data.FilterRowsByColumn</c>, <c>TakeRows</c>)
/// it is a data operation, <c>mlContext.Data.ExpandRotations(view, options)</c>: it reads the input rows (metadata
/// only: no pixels), expands them with <see cref="RotationAugmenter.Expand"/> and returns a new in-memory data view
/// with the reader's columns. Being no transformer, it can never end up in a saved scoring model.
/// </summary>
internal static class RotationDataView
{
    public static IDataView Expand(IDataView input, RotationOptions options, out RotationReport report)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        RotationColumns.Validate(input.Schema);
        // class names: the reader's annotation on Labels (index = class id), then any name only seen in rows,
        // then names the relabel map introduces
        var names = YoloDataRow.ReadClassNames(input.Schema)?.ToList() ?? [];
        var samples = ReadSamples(input, names);
        foreach (var (from, to) in options.RelabelMap)
        {
            if (!names.Contains(from)) names.Add(from);
            if (!names.Contains(to)) names.Add(to);
        }
        var expansion = RotationAugmenter.Expand(samples, options, names);
        report = expansion.Report;
        var outputNames = options.Policy == RotationPolicy.Turns ? TurnClasses.Names(names) : names;
        return YoloDataRow.ToDataView(new MLContext(), expansion.Samples, outputNames);
    }

    private static List<YoloSample> ReadSamples(IDataView input, List<string> names)
    {
        var schema = input.Schema;
        var columns = new List<DataViewSchema.Column>
        {
            schema[RotationColumns.ImagePath], schema[RotationColumns.Labels], schema[RotationColumns.Boxes],
            schema[RotationColumns.Width], schema[RotationColumns.Height],
        };
        var rotationColumn = schema.GetColumnOrNull(RotationColumns.Rotation);
        if (rotationColumn is { } r) columns.Add(r);
        var samples = new List<YoloSample>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++) ids.TryAdd(names[i], i);
        using var cursor = input.GetRowCursor(columns);
        var getPath = cursor.GetGetter<ReadOnlyMemory<char>>(schema[RotationColumns.ImagePath]);
        var getLabels = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(schema[RotationColumns.Labels]);
        var getBoxes = cursor.GetGetter<VBuffer<float>>(schema[RotationColumns.Boxes]);
        var getWidth = cursor.GetGetter<float>(schema[RotationColumns.Width]);
        var getHeight = cursor.GetGetter<float>(schema[RotationColumns.Height]);
        var getRotation = rotationColumn is { } rc ? cursor.GetGetter<float>(rc) : null;
        ReadOnlyMemory<char> path = default;
        VBuffer<ReadOnlyMemory<char>> labels = default;
        VBuffer<float> boxes = default;
        float width = 0, height = 0, rotation = 0;
        int row = 0;
        while (cursor.MoveNext())
        {
            getPath(ref path);
            getLabels(ref labels);
            getBoxes(ref boxes);
            getWidth(ref width);
            getHeight(ref height);
            getRotation?.Invoke(ref rotation);
            string imagePath = path.ToString();
            var labelNames = labels.DenseValues().Select(l => l.ToString()).ToArray();
            var coordinates = boxes.DenseValues().ToArray();
            if (coordinates.Length != 4 * labelNames.Length)
                throw new InvalidDataException($"row {row} ({imagePath}): {labelNames.Length} labels but {coordinates.Length} box values (expected 4 per label)");
            if (width < 1 || height < 1 || width != MathF.Round(width) || height != MathF.Round(height))
                throw new InvalidDataException($"row {row} ({imagePath}): image size {width}x{height} is not a positive whole number of pixels");
            if (rotation % 90 != 0)
                throw new InvalidDataException($"row {row} ({imagePath}): rotation {rotation} is not a multiple of 90 degrees");
            var objects = new LabeledBox[labelNames.Length];
            for (int i = 0; i < objects.Length; i++)
            {
                if (!ids.TryGetValue(labelNames[i], out int id))
                {
                    id = names.Count;
                    ids[labelNames[i]] = id;
                    names.Add(labelNames[i]);
                }
                objects[i] = new LabeledBox(id, new BoundingBox(coordinates[4 * i], coordinates[(4 * i) + 1], coordinates[(4 * i) + 2], coordinates[(4 * i) + 3]));
            }
            samples.Add(new YoloSample(imagePath, (int)width, (int)height, objects, (int)rotation));
            row++;
        }
        return samples;
    }
}
