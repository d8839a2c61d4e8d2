using System.Buffers;
using System.Runtime.CompilerServices;

namespace DigitMl.Data;

/// <summary>
/// The one letterbox used by training, validation and inference: resize keeping the aspect ratio (bilinear, pixel
/// centres aligned as OpenCV's INTER_LINEAR), centre on a gray (114) canvas; geometry per <see cref="LetterboxGeometry.Compute"/>.
/// </summary>
public static class Letterbox
{
    public const byte PadValue = 114;

    // Fixed-point bilinear weights: 11 fractional bits per axis (as OpenCV's 8-bit resize); sums stay below 2^31.
    private const int WeightBits = 11;
    private const int WeightOne = 1 << WeightBits;

    private static readonly float[] UnitScale = Enumerable.Range(0, 256).Select(i => i / 255f).ToArray();

    public static LetterboxResult Apply(RgbImage image, int width, int height) => ApplyInto(image, new RgbImage(width, height));

    /// <summary>Letterboxes into an existing image (its size is the target size), so callers can reuse buffers.</summary>
    public static LetterboxResult ApplyInto(RgbImage image, RgbImage destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        return ApplyInto(image, destination, LetterboxGeometry.Compute(image.Width, image.Height, destination.Width, destination.Height));
    }

    /// <summary>
    /// Letterboxes with a given geometry (the resized image must fit the destination at its pad), e.g. native-size
    /// inference that keeps or caps the scale and pads to a multiple of the stride.
    /// </summary>
    public static LetterboxResult ApplyInto(RgbImage image, RgbImage destination, LetterboxGeometry g)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        if (ReferenceEquals(image.Pixels, destination.Pixels))
            throw new ArgumentException("the destination must not share the source's pixels", nameof(destination));
        if (g.ResizedWidth <= 0 || g.ResizedHeight <= 0 || g.PadX < 0 || g.PadY < 0
            || g.PadX + g.ResizedWidth > destination.Width || g.PadY + g.ResizedHeight > destination.Height)
            throw new ArgumentException($"geometry {g} does not fit a {destination.Width}x{destination.Height} destination", nameof(g));
        var dst = destination.Pixels.AsSpan();
        int stride = destination.Width * 3;
        if (g.ResizedWidth != destination.Width || g.ResizedHeight != destination.Height) dst.Fill(PadValue);
        var region = dst.Slice((g.PadY * stride) + (g.PadX * 3));
        if (g.ResizedWidth == image.Width && g.ResizedHeight == image.Height)
        {
            for (int y = 0; y < image.Height; y++)
                image.Pixels.AsSpan(y * image.Width * 3, image.Width * 3).CopyTo(region.Slice(y * stride));
        }
        else
        {
            ResizeBilinear(image, region, stride, g.ResizedWidth, g.ResizedHeight);
        }
        return new LetterboxResult(destination, g.Scale, g.PadX, g.PadY) { SourceWidth = image.Width, SourceHeight = image.Height };
    }

    /// <summary>Writes the image as planar CHW floats (R plane, G plane, B plane), values 0..1. The destination holds exactly 3*W*H floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ToChwFloats(RgbImage image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        int plane = image.Width * image.Height;
        if (destination.Length != plane * 3)
            throw new ArgumentException($"destination holds {destination.Length} floats, a {image.Width}x{image.Height} image needs {plane * 3}", nameof(destination));
        fixed (byte* src = image.Pixels)
        fixed (float* dst = destination)
        fixed (float* table = UnitScale)
        {
            float* r = dst, g = dst + plane, b = dst + (2 * plane);
            byte* s = src;
            for (int i = 0; i < plane; i++, s += 3)
            {
                r[i] = table[s[0]];
                g[i] = table[s[1]];
                b[i] = table[s[2]];
            }
        }
    }

    /// <summary>Bilinear resize of <paramref name="image"/> to outW x outH, written at the start of <paramref name="dst"/> with row stride <paramref name="stride"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ResizeBilinear(RgbImage image, Span<byte> dst, int stride, int outW, int outH)
    {
        int inW = image.Width, inH = image.Height;
        int rowLength = outW * 3;
        if ((long)(outH - 1) * stride + rowLength > dst.Length) throw new ArgumentException("destination too small", nameof(dst));
        int[] buffer = ArrayPool<int>.Shared.Rent((outW * 4) + (rowLength * 2));
        try
        {
            fixed (byte* src = image.Pixels)
            fixed (byte* outBase = dst)
            fixed (int* work = buffer)
            {
                // per output column: byte offsets of the left and right source pixels and the right pixel's weight
                int* x0 = work, x1 = work + outW, xWeight = work + (2 * outW);
                int* rowA = work + (4 * outW), rowB = rowA + rowLength;
                double scaleX = (double)inW / outW, scaleY = (double)inH / outH;
                for (int x = 0; x < outW; x++)
                {
                    var (sx, weight) = SourceCoordinate(x, scaleX, inW);
                    x0[x] = sx * 3;
                    x1[x] = Math.Min(sx + 1, inW - 1) * 3;
                    xWeight[x] = weight;
                }
                int rowInA = -1, rowInB = -1;
                const int round = 1 << ((2 * WeightBits) - 1);
                for (int y = 0; y < outH; y++)
                {
                    var (sy, wy) = SourceCoordinate(y, scaleY, inH);
                    int sy1 = Math.Min(sy + 1, inH - 1);
                    // reuse interpolated source rows between consecutive output rows (upscaling)
                    if (rowInA != sy)
                    {
                        if (rowInB == sy) Buffer.MemoryCopy(rowB, rowA, rowLength * sizeof(int), rowLength * sizeof(int));
                        else InterpolateRow(src + ((long)sy * inW * 3), x0, x1, xWeight, outW, rowA);
                        rowInA = sy;
                    }
                    if (rowInB != sy1)
                    {
                        InterpolateRow(src + ((long)sy1 * inW * 3), x0, x1, xWeight, outW, rowB);
                        rowInB = sy1;
                    }
                    byte* outRow = outBase + ((long)y * stride);
                    int wa = WeightOne - wy;
                    for (int i = 0; i < rowLength; i++)
                        outRow[i] = (byte)(((rowA[i] * wa) + (rowB[i] * wy) + round) >> (2 * WeightBits));
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
        }
    }

    // Source pixel index and fixed-point weight of the next pixel for output coordinate i, pixel centres aligned.
    private static (int Index, int Weight) SourceCoordinate(int i, double scale, int size)
    {
        double f = ((i + 0.5) * scale) - 0.5;
        int s = (int)Math.Floor(f);
        double fraction = f - s;
        if (s < 0) return (0, 0);
        if (s >= size - 1) return (size - 1, 0);
        return (s, (int)Math.Round(fraction * WeightOne));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void InterpolateRow(byte* row, int* x0, int* x1, int* xWeight, int outW, int* target)
    {
        for (int x = 0; x < outW; x++, target += 3)
        {
            byte* p0 = row + x0[x], p1 = row + x1[x];
            int w1 = xWeight[x], w0 = WeightOne - w1;
            target[0] = (p0[0] * w0) + (p1[0] * w1);
            target[1] = (p0[1] * w0) + (p1[1] * w1);
            target[2] = (p0[2] * w0) + (p1[2] * w1);
        }
    }
}
