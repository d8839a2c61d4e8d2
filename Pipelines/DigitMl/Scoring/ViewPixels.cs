using System.Runtime.CompilerServices;
using DigitMl.Data;

namespace DigitMl.Scoring;

/// <summary>
/// Writes one <see cref="InferenceView"/> of an image as the network input: planar RGB floats 0..1 with the gray
/// (114) padding, the same values <see cref="Letterbox.Apply"/> + <see cref="Letterbox.ToChwFloats"/> give. Views
/// at scale 1 (tiles, native size) are copied straight into the floats; resampled views go through
/// <see cref="Letterbox.ApplyInto(RgbImage, RgbImage, LetterboxGeometry)"/>, the training letterbox.
/// </summary>
public static class ViewPixels
{
    private const float Pad = Letterbox.PadValue / 255f;

    private static readonly float[] UnitScale = Enumerable.Range(0, 256).Select(i => i / 255f).ToArray();

    [ThreadStatic]
    private static RgbImage? _scratch;

    public static void Write(RgbImage image, InferenceView view, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        int plane = view.InputWidth * view.InputHeight;
        if (destination.Length != 3 * plane)
            throw new ArgumentException($"destination holds {destination.Length} floats, a {view.InputWidth}x{view.InputHeight} input needs {3 * plane}", nameof(destination));
        if (view.SourceX < 0 || view.SourceY < 0 || view.SourceX + view.SourceWidth > image.Width || view.SourceY + view.SourceHeight > image.Height)
            throw new ArgumentException($"view {view} lies outside the {image.Width}x{image.Height} image", nameof(view));
        if (view.IsCopy)
        {
            Copy(image, view, destination);
            return;
        }

        if (view.SourceX != 0 || view.SourceY != 0 || view.SourceWidth != image.Width || view.SourceHeight != image.Height)
            throw new NotSupportedException("resampled views cover the whole image");
        var scratch = _scratch;
        if (scratch is null || scratch.Width != view.InputWidth || scratch.Height != view.InputHeight)
            _scratch = scratch = new RgbImage(view.InputWidth, view.InputHeight);
        var geometry = new LetterboxGeometry(view.Scale, view.ResizedWidth, view.ResizedHeight, view.PadX, view.PadY);
        Letterbox.ApplyInto(image, scratch, geometry);
        Letterbox.ToChwFloats(scratch, destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Copy(RgbImage image, InferenceView view, Span<float> destination)
    {
        int inW = view.InputWidth, inH = view.InputHeight, plane = inW * inH;
        bool padded = view.PadX != 0 || view.PadY != 0 || view.SourceWidth != inW || view.SourceHeight != inH;
        if (padded) destination.Fill(Pad);
        fixed (byte* src = image.Pixels)
        fixed (float* dst = destination)
        fixed (float* table = UnitScale)
        {
            for (int y = 0; y < view.SourceHeight; y++)
            {
                byte* s = src + ((((long)(view.SourceY + y) * image.Width) + view.SourceX) * 3);
                long offset = ((long)(view.PadY + y) * inW) + view.PadX;
                float* r = dst + offset, g = dst + plane + offset, b = dst + (2L * plane) + offset;
                for (int x = 0; x < view.SourceWidth; x++, s += 3)
                {
                    r[x] = table[s[0]];
                    g[x] = table[s[1]];
                    b[x] = table[s[2]];
                }
            }
        }
    }
}
