using DigitMl.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Scoring;

/// <summary>
/// Reads a detection IDataView (<c>ImagePath</c> text, <c>Labels</c> text vector, <c>Boxes</c> float vector of
/// x0,y0,x1,y1 per label; optional <c>Width</c>, <c>Height</c>, <c>Rotation</c> floats) into <see cref="YoloSample"/>s.
/// Missing sizes are read from the image headers.
/// </summary>
public static class DetectionRowReader
{
    public static IReadOnlyList<YoloSample> Read(IDataView data, IReadOnlyList<string> names, DetectionColumns? columns = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(names);
        columns ??= DetectionColumns.Default;
        var schema = data.Schema;
        var path = Require(schema, columns.ImagePath);
        var labels = Require(schema, columns.Labels);
        var boxes = Require(schema, columns.Boxes);
        var width = schema.GetColumnOrNull(columns.Width);
        var height = schema.GetColumnOrNull(columns.Height);
        var rotation = schema.GetColumnOrNull(columns.Rotation);
        var active = new List<DataViewSchema.Column> { path, labels, boxes };
        foreach (var c in new[] { width, height, rotation })
            if (c is { } col) active.Add(col);

        var samples = new List<YoloSample>();
        using var cursor = data.GetRowCursor(active);
        var getPath = cursor.GetGetter<ReadOnlyMemory<char>>(path);
        var getLabels = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(labels);
        var getBoxes = cursor.GetGetter<VBuffer<float>>(boxes);
        var getWidth = width is { } w ? cursor.GetGetter<float>(w) : null;
        var getHeight = height is { } h ? cursor.GetGetter<float>(h) : null;
        var getRotation = rotation is { } r ? cursor.GetGetter<float>(r) : null;
        ReadOnlyMemory<char> pathValue = default;
        VBuffer<ReadOnlyMemory<char>> labelValues = default;
        VBuffer<float> boxValues = default;
        while (cursor.MoveNext())
        {
            getPath(ref pathValue);
            getLabels(ref labelValues);
            getBoxes(ref boxValues);
            float wv = 0, hv = 0, rv = 0;
            getWidth?.Invoke(ref wv);
            getHeight?.Invoke(ref hv);
            getRotation?.Invoke(ref rv);
            string imagePath = pathValue.ToString();
            if (wv <= 0 || hv <= 0)
            {
                var (fw, fh) = ImageDecoder.ReadSize(imagePath);
                bool quarterTurn = ((int)rv % 180 + 180) % 180 == 90;
                (wv, hv) = quarterTurn ? (fh, fw) : (fw, fh);
            }

            var row = new YoloDataRow
            {
                ImagePath = imagePath,
                Labels = labelValues.DenseValues().Select(v => v.ToString()).ToArray(),
                Boxes = boxValues.DenseValues().ToArray(),
                Width = wv,
                Height = hv,
                Rotation = rv,
            };
            samples.Add(row.ToSample(names));
        }

        return samples;
    }

    /// <summary>Class names: the Labels column's annotation when present, else the distinct labels in order (numbers numerically).</summary>
    public static IReadOnlyList<string> ClassNames(IDataView data, DetectionColumns? columns = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        columns ??= DetectionColumns.Default;
        if (YoloDataRow.ReadClassNames(data.Schema, columns.Labels) is { } annotated) return annotated;
        var labels = Require(data.Schema, columns.Labels);
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        using var cursor = data.GetRowCursor([labels]);
        var getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(labels);
        VBuffer<ReadOnlyMemory<char>> values = default;
        while (cursor.MoveNext())
        {
            getter(ref values);
            foreach (var v in values.DenseValues()) distinct.Add(v.ToString());
        }

        return distinct.OrderBy(n => int.TryParse(n, out int k) ? k : int.MaxValue).ThenBy(n => n, StringComparer.Ordinal).ToList();
    }

    private static DataViewSchema.Column Require(DataViewSchema schema, string name) =>
        schema.GetColumnOrNull(name) ?? throw new ArgumentException($"input data has no '{name}' column (expected ImagePath, Labels, Boxes)");
}
