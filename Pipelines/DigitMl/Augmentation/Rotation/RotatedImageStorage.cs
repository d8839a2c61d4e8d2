namespace DigitMl.Augmentation.Rotation;

/// <summary>How rotated copies get their pixels.</summary>
public enum RotatedImageStorage
{
    /// <summary>Nothing is written: the sample carries <c>RotationDegrees</c> and is turned when its image is loaded.</summary>
    Lazy,

    /// <summary>Each rotated image is written once as a PNG (lossless) into a cache folder and the sample points at it.</summary>
    DiskCache,
}
