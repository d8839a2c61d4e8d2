using DigitMl.Augmentation.Rotation;
using Microsoft.ML;

namespace DigitMl.Augmentation;

/// <summary>Adds rotation augmentation to <c>mlContext.Transforms</c>.</summary>
public static class RotationCatalog
{
    /// <summary>
    /// Training-only estimator over the YOLO reader's rows (ImagePath, Labels, Boxes, Width, Height, Rotation)
    /// whose transformer yields the original rows followed by one row per requested angle (default 90, 180,
    /// 270) with exactly turned boxes, under the 6/9 policy of <paramref name="options"/> (default: drop).
    /// Never put it in a scoring pipeline: its transformer cannot be saved.
    /// </summary>
    public static RotationEstimator RotateForDetection(this TransformsCatalog catalog, RotationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RotationEstimator(options ?? new RotationOptions());
    }
}
