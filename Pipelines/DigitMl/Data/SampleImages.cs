namespace DigitMl.Data;

/// <summary>Decodes the pixels of a <see cref="YoloSample"/>, applying its rotation.</summary>
public static class SampleImages
{
    public static RgbImage Load(YoloSample sample)
    {
        var image = ImageDecoder.Decode(sample.ImagePath);
        return ImageRotation.RotateClockwise(image, sample.RotationDegrees);
    }
}
