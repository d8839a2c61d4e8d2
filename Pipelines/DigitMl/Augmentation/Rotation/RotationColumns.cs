using DigitMl.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Augmentation.Rotation;

/// <summary>The columns rotation augmentation reads and writes, and their checks.</summary>
internal static class RotationColumns
{
    public const string ImagePath = "ImagePath";
    public const string Labels = "Labels";
    public const string Boxes = "Boxes";
    public const string Width = "Width";
    public const string Height = "Height";
    public const string Rotation = "Rotation";

    public static DataViewSchema OutputSchema { get; } =
        new MLContext().Data.LoadFromEnumerable(Array.Empty<YoloDataRow>()).Schema;

    public static void Validate(DataViewSchema schema)
    {
        Require(schema, ImagePath, t => t is TextDataViewType, "text");
        Require(schema, Labels, t => t is VectorDataViewType { ItemType: TextDataViewType }, "vector of text");
        Require(schema, Boxes, t => t is VectorDataViewType { ItemType: NumberDataViewType n } && n.RawType == typeof(float), "vector of float");
        Require(schema, Width, IsFloat, "float");
        Require(schema, Height, IsFloat, "float");
        if (schema.GetColumnOrNull(Rotation) is { } rotation && !IsFloat(rotation.Type))
            throw new ArgumentException($"column '{Rotation}' must be float, is {rotation.Type}");
    }

    public static void Validate(SchemaShape shape)
    {
        Require(shape, ImagePath, c => c.Kind == SchemaShape.Column.VectorKind.Scalar && c.ItemType is TextDataViewType, "text");
        Require(shape, Labels, c => c.Kind != SchemaShape.Column.VectorKind.Scalar && c.ItemType is TextDataViewType, "vector of text");
        Require(shape, Boxes, c => c.Kind != SchemaShape.Column.VectorKind.Scalar && c.ItemType is NumberDataViewType n && n.RawType == typeof(float), "vector of float");
        Require(shape, Width, c => c.Kind == SchemaShape.Column.VectorKind.Scalar && IsFloat(c.ItemType), "float");
        Require(shape, Height, c => c.Kind == SchemaShape.Column.VectorKind.Scalar && IsFloat(c.ItemType), "float");
    }

    /// <summary>The shape after augmentation: the reader's six columns (a missing Rotation column is added as a float like Width).</summary>
    public static SchemaShape OutputShape(SchemaShape input)
    {
        string[] kept = [ImagePath, Labels, Boxes, Width, Height, Rotation];
        var shape = new SchemaShape(input.Where(c => kept.Contains(c.Name)));
        return shape.Any(c => c.Name == Rotation)
            ? shape
            : new MLContext().Transforms.CopyColumns(Rotation, Width).GetOutputSchema(shape);
    }

    private static bool IsFloat(DataViewType type) => type is NumberDataViewType n && n.RawType == typeof(float);

    private static void Require(DataViewSchema schema, string name, Func<DataViewType, bool> ok, string expected)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"rotation augmentation needs column '{name}' ({expected}); the data has: {string.Join(", ", schema.Select(c => c.Name))}");
        if (!ok(column.Type))
            throw new ArgumentException($"column '{name}' must be {expected}, is {column.Type}");
    }

    private static void Require(SchemaShape shape, string name, Func<SchemaShape.Column, bool> ok, string expected)
    {
        var column = shape.FirstOrDefault(c => c.Name == name);
        if (column.Name is null)
            throw new ArgumentException($"rotation augmentation needs column '{name}' ({expected})");
        if (!ok(column))
            throw new ArgumentException($"column '{name}' must be {expected}, is {column.ItemType} ({column.Kind})");
    }
}
