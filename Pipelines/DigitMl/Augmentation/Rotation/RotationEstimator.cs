using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Augmentation.Rotation;

/// <summary>
/// <c>mlContext.Transforms.RotateForDetection(options)</c>: an estimator with nothing to learn; <see cref="Fit"/>
/// checks the input columns and returns the <see cref="RotationTransformer"/>.
/// </summary>
public sealed class RotationEstimator : IEstimator<RotationTransformer>
{
    public RotationEstimator(RotationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RotationAugmenter.RequestedAngles(options.Angles); // fail at construction on bad angles
        Options = options;
    }

    public RotationOptions Options { get; }

    public RotationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RotationColumns.Validate(input.Schema);
        return new RotationTransformer(Options);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        RotationColumns.Validate(inputSchema);
        return RotationColumns.OutputShape(inputSchema);
    }
}
