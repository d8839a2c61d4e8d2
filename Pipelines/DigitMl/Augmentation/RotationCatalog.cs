using DigitMl.Augmentation.Rotation;
using Microsoft.ML;

namespace DigitMl.Augmentation;

/// <summary>Adds rotation augmentation to <c>mlContext.Data</c>, where ML.NET keeps the operations that change the number of rows.</summary>
public static class RotationCatalog
{
    /// <summary>
    /// The rows of the YOLO reader (ImagePath, Labels, Boxes, Width, Height, Rotation) followed by one row per requested
    /// angle (default 90, 180, 270) with exactly turned boxes, under the 6/9 policy of <paramref name="options"/>
    /// (default: drop; <see cref="RotationPolicy.Turns"/> labels the copies with turn-aware classes). Training data
    /// only: expand the rows a trainer learns from, never the rows you score.
    /// </summary>
    public static IDataView ExpandRotations(this DataOperationsCatalog catalog, IDataView input, RotationOptions? options = null) =>
        ExpandRotations(catalog, input, options, out _);

    /// <inheritdoc cref="ExpandRotations(DataOperationsCatalog, IDataView, RotationOptions?)"/>
    /// <param name="report">rows added and dropped per angle.</param>
    public static IDataView ExpandRotations(this DataOperationsCatalog catalog, IDataView input, RotationOptions? options, out RotationReport report)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return RotationDataView.Expand(input, options ?? new RotationOptions(), out report);
    }
}
