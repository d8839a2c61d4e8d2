using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Data;

/// <summary>
/// One row of the YOLO IDataView schema: <c>ImagePath</c> (text), <c>Labels</c> (text vector: class names),
/// <c>Boxes</c> (float vector: x0, y0, x1, y1 per object in pixels, flattened), <c>Width</c>, <c>Height</c> and
/// <c>Rotation</c> (degrees clockwise applied to the file, 0 for files as they are).
/// <para>The Labels column carries the dataset's class names in order as the annotation <see cref="ClassNamesAnnotation"/>;
/// read it with <see cref="ReadClassNames"/>. Appending <c>mlContext.Transforms.LoadImages("Image", null, "ImagePath")</c>
/// adds the decoded <c>Image</c> column.</para>
/// </summary>
public sealed class YoloDataRow
{
    /// <summary>Annotation on the Labels column: the class names, index = class id.</summary>
    public const string ClassNamesAnnotation = "ClassNames";

    public string ImagePath { get; set; } = "";

    public string[] Labels { get; set; } = [];

    public float[] Boxes { get; set; } = [];

    public float Width { get; set; }

    public float Height { get; set; }

    public float Rotation { get; set; }

    public static YoloDataRow FromSample(YoloSample sample, IReadOnlyList<string> names)
    {
        var labels = new string[sample.Objects.Count];
        var boxes = new float[sample.Objects.Count * 4];
        for (int i = 0; i < labels.Length; i++)
        {
            var (classId, box) = sample.Objects[i];
            if (classId < 0 || classId >= names.Count)
                throw new ArgumentException($"{sample.ImagePath}: class id {classId} outside names (0..{names.Count - 1})", nameof(sample));
            labels[i] = names[classId];
            (boxes[i * 4], boxes[(i * 4) + 1], boxes[(i * 4) + 2], boxes[(i * 4) + 3]) = (box.X0, box.Y0, box.X1, box.Y1);
        }
        return new YoloDataRow
        {
            ImagePath = sample.ImagePath,
            Labels = labels,
            Boxes = boxes,
            Width = sample.Width,
            Height = sample.Height,
            Rotation = sample.RotationDegrees,
        };
    }

    /// <summary>The sample this row describes; class names map back to ids through <paramref name="names"/>.</summary>
    public YoloSample ToSample(IReadOnlyList<string> names)
    {
        if (Boxes.Length != Labels.Length * 4)
            throw new InvalidDataException($"{ImagePath}: {Labels.Length} labels need {Labels.Length * 4} box values, got {Boxes.Length}");
        var objects = new LabeledBox[Labels.Length];
        for (int i = 0; i < Labels.Length; i++)
        {
            int classId = IndexOf(names, Labels[i]);
            if (classId < 0)
                throw new InvalidDataException($"{ImagePath}: label '{Labels[i]}' is not one of the class names ({string.Join(", ", names)})");
            objects[i] = new LabeledBox(classId, new BoundingBox(Boxes[i * 4], Boxes[(i * 4) + 1], Boxes[(i * 4) + 2], Boxes[(i * 4) + 3]));
        }
        return new YoloSample(ImagePath, (int)Width, (int)Height, objects, (int)Rotation);
    }

    /// <summary>An IDataView of the samples with the class names annotated on the Labels column.</summary>
    public static IDataView ToDataView(MLContext mlContext, IEnumerable<YoloSample> samples, IReadOnlyList<string> names) =>
        ToDataView(mlContext.Data, samples, names);

    internal static IDataView ToDataView(DataOperationsCatalog data, IEnumerable<YoloSample> samples, IReadOnlyList<string> names)
    {
        var schema = SchemaDefinition.Create(typeof(YoloDataRow));
        var nameValues = new VBuffer<ReadOnlyMemory<char>>(names.Count, names.Select(n => n.AsMemory()).ToArray());
        schema[nameof(Labels)].AddAnnotation(ClassNamesAnnotation, nameValues, new VectorDataViewType(TextDataViewType.Instance, names.Count));
        return data.LoadFromEnumerable(samples.Select(s => FromSample(s, names)).ToList(), schema);
    }

    /// <summary>The class names annotated on a Labels column, or null when the column has none.</summary>
    public static IReadOnlyList<string>? ReadClassNames(DataViewSchema schema, string labelsColumn = nameof(Labels))
    {
        var column = schema.GetColumnOrNull(labelsColumn);
        if (column?.Annotations.Schema.GetColumnOrNull(ClassNamesAnnotation) is null) return null;
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.Value.Annotations.GetValue(ClassNamesAnnotation, ref values);
        return values.DenseValues().Select(v => v.ToString()).ToList();
    }

    private static int IndexOf(IReadOnlyList<string> names, string label)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], label, StringComparison.Ordinal)) return i;
        return -1;
    }
}
