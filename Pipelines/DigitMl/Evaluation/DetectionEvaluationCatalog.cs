using DigitMl.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Evaluation;

/// <summary><c>mlContext.Detection().Evaluate(scored)</c>: metrics over an IDataView holding ground truth and predictions.</summary>
public static class DetectionEvaluationCatalog
{
    /// <summary>
    /// Evaluates a scored IDataView, one row per image: ground-truth class names (text vector) and boxes
    /// (float vector x0,y0,x1,y1 per box), predicted class names, boxes (same layout) and scores.
    /// <paramref name="names"/> fixes class ids (index = id); when null, the distinct labels of both columns,
    /// sorted, are the classes.
    /// </summary>
    public static DetectionMetrics Evaluate(
        this DetectionCatalog catalog,
        IDataView data,
        string labelColumnName = "Labels",
        string boxColumnName = "Boxes",
        string predictedLabelColumnName = "PredictedLabels",
        string predictedBoxColumnName = "PredictedBoxes",
        string scoreColumnName = "Scores",
        IReadOnlyList<string>? names = null,
        EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var rows = ReadRows(data, labelColumnName, boxColumnName, predictedLabelColumnName, predictedBoxColumnName, scoreColumnName);
        var classNames = names ?? rows.SelectMany(r => r.Labels.Concat(r.PredictedLabels)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classNames.Count; i++) index.TryAdd(classNames[i], i);

        var truth = new List<IReadOnlyList<LabeledBox>>(rows.Count);
        var predictions = new List<IReadOnlyList<Detection>>(rows.Count);
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            truth.Add(row.Labels.Select((label, i) => new LabeledBox(ClassOf(index, label, r, labelColumnName), BoxAt(row.Boxes, i))).ToArray());
            predictions.Add(row.PredictedLabels.Select((label, i) =>
                new Detection(ClassOf(index, label, r, predictedLabelColumnName), label, row.Scores[i], BoxAt(row.PredictedBoxes, i))).ToArray());
        }
        return DetectionEvaluator.Evaluate(truth, predictions, classNames, options);
    }

    private static int ClassOf(Dictionary<string, int> index, string label, int row, string column) =>
        index.TryGetValue(label, out int id) ? id
            : throw new InvalidOperationException($"row {row}: column '{column}' has label '{label}', which is not one of the class names");

    private static BoundingBox BoxAt(float[] flat, int i) => new(flat[4 * i], flat[(4 * i) + 1], flat[(4 * i) + 2], flat[(4 * i) + 3]);

    private sealed record ScoredRow(string[] Labels, float[] Boxes, string[] PredictedLabels, float[] PredictedBoxes, float[] Scores);

    private static List<ScoredRow> ReadRows(IDataView data, string label, string box, string predictedLabel, string predictedBox, string score)
    {
        var labelColumn = RequireColumn(data, label, TextDataViewType.Instance);
        var boxColumn = RequireColumn(data, box, NumberDataViewType.Single);
        var predictedLabelColumn = RequireColumn(data, predictedLabel, TextDataViewType.Instance);
        var predictedBoxColumn = RequireColumn(data, predictedBox, NumberDataViewType.Single);
        var scoreColumn = RequireColumn(data, score, NumberDataViewType.Single);

        var rows = new List<ScoredRow>();
        using var cursor = data.GetRowCursor([labelColumn, boxColumn, predictedLabelColumn, predictedBoxColumn, scoreColumn]);
        var getLabels = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(labelColumn);
        var getBoxes = cursor.GetGetter<VBuffer<float>>(boxColumn);
        var getPredictedLabels = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(predictedLabelColumn);
        var getPredictedBoxes = cursor.GetGetter<VBuffer<float>>(predictedBoxColumn);
        var getScores = cursor.GetGetter<VBuffer<float>>(scoreColumn);
        VBuffer<ReadOnlyMemory<char>> labels = default, predictedLabels = default;
        VBuffer<float> boxes = default, predictedBoxes = default, scores = default;
        int r = 0;
        while (cursor.MoveNext())
        {
            getLabels(ref labels);
            getBoxes(ref boxes);
            getPredictedLabels(ref predictedLabels);
            getPredictedBoxes(ref predictedBoxes);
            getScores(ref scores);
            var row = new ScoredRow(
                labels.DenseValues().Select(v => v.ToString()).ToArray(),
                boxes.DenseValues().ToArray(),
                predictedLabels.DenseValues().Select(v => v.ToString()).ToArray(),
                predictedBoxes.DenseValues().ToArray(),
                scores.DenseValues().ToArray());
            if (row.Boxes.Length != 4 * row.Labels.Length)
                throw new InvalidOperationException($"row {r}: {row.Labels.Length} labels in '{label}' need {4 * row.Labels.Length} values in '{box}', found {row.Boxes.Length}");
            if (row.PredictedBoxes.Length != 4 * row.PredictedLabels.Length || row.Scores.Length != row.PredictedLabels.Length)
                throw new InvalidOperationException($"row {r}: {row.PredictedLabels.Length} predicted labels need {4 * row.PredictedLabels.Length} values in '{predictedBox}' and {row.PredictedLabels.Length} in '{score}', found {row.PredictedBoxes.Length} and {row.Scores.Length}");
            rows.Add(row);
            r++;
        }
        return rows;
    }

    private static DataViewSchema.Column RequireColumn(IDataView data, string name, PrimitiveDataViewType itemType)
    {
        var column = data.Schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"the data has no column '{name}' (columns: {string.Join(", ", data.Schema.Select(c => c.Name))})");
        if (column.Type is not VectorDataViewType vector || vector.ItemType != itemType)
            throw new ArgumentException($"column '{name}' must be a vector of {itemType}, found {column.Type}");
        return column;
    }
}
