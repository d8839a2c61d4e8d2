using DigitMl.Data;
using Microsoft.ML.Transforms;

namespace DigitMl.Scoring;

/// <summary>
/// Scoring chain step: ImagePath -> decoded image (<see cref="ImageLoading"/>, the training decoder) letterboxed by
/// <see cref="Letterbox.Apply"/> and converted by <see cref="Letterbox.ToChwFloats"/> (both the functions training
/// uses) into the ONNX input <c>images</c>, plus the letterbox geometry needed to map boxes back.
/// <para>ApplyOnnxModel needs a fixed-size vector column, and ML.NET takes a custom mapping's column types from
/// attributes (constants) when it reloads a saved model, so there is one small subclass per input size
/// (<see cref="LetterboxImageMappings"/>: multiples of 32 from 32 to 1280).</para>
/// </summary>
public abstract class LetterboxImageMapping<TOutput> : CustomMappingFactory<LetterboxImageMapping<TOutput>.Input, TOutput>
    where TOutput : LetterboxImageOutput, new()
{
    protected LetterboxImageMapping(int imageSize) => ImageSize = imageSize;

    public int ImageSize { get; }

    public override Action<Input, TOutput> GetMapping()
    {
        var settingsCache = new DetectionSettings.Cache();
        int size = ImageSize;
        return (input, output) =>
        {
            var settings = settingsCache.Get(input.DetectionSettings);
            if (settings.ImageSize != size)
                throw new InvalidOperationException($"letterbox step for {size} px got settings for {settings.ImageSize} px");
            var image = ImageLoading.Decode(input.ImagePath.ToString(), settings.MaxImagePixels);
            var letterboxed = Letterbox.Apply(image, size, size);
            var pixels = output.Pixels;
            if (pixels.Length != 3 * size * size)
                output.Pixels = pixels = new float[3 * size * size];
            Letterbox.ToChwFloats(letterboxed.Image, pixels);
            var geometry = output.LetterboxGeometry;
            if (geometry.Length != 5)
                output.LetterboxGeometry = geometry = new float[5];
            (geometry[0], geometry[1], geometry[2], geometry[3], geometry[4]) = (letterboxed.Scale, letterboxed.PadX, letterboxed.PadY, image.Width, image.Height);
        };
    }

    public sealed class Input
    {
        public ReadOnlyMemory<char> ImagePath { get; set; }

        public ReadOnlyMemory<char> DetectionSettings { get; set; }
    }
}

/// <summary>Output columns of the letterbox step; subclasses fix the size of <see cref="Pixels"/> by attribute.</summary>
public abstract class LetterboxImageOutput
{
    /// <summary>The <c>images</c> column: planar RGB floats 0..1, 3 x size x size.</summary>
    public abstract float[] Pixels { get; set; }

    /// <summary>scale, pad x, pad y, source width, source height.</summary>
    public float[] LetterboxGeometry { get; set; } = [];
}
