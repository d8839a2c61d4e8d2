using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DigitMl.Scoring;

/// <summary>
/// Marks an <see cref="MLImage"/> member as an image column of any size (the type <c>LoadImages</c> produces). ML.NET's
/// own <c>[ImageType]</c> needs a fixed height and width (its parameterless form fails to register), so in-memory
/// rows of images of varying sizes use this attribute instead:
/// <code>public sealed class Row { [VariableSizeImage] public MLImage Image { get; set; } }</code>
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class VariableSizeImageAttribute : DataViewTypeAttribute
{
    public override void Register() => DataViewTypeManager.Register(new ImageDataViewType(), typeof(MLImage), this);

    public override bool Equals(DataViewTypeAttribute other) => other is VariableSizeImageAttribute;

    public override bool Equals(object? obj) => obj is VariableSizeImageAttribute;

    public override int GetHashCode() => typeof(VariableSizeImageAttribute).GetHashCode();
}
