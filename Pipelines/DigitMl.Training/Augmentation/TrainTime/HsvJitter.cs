using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DigitMl.Data;

namespace DigitMl.Training.Augmentation;

/// <summary>
/// Random hue / saturation / value gains, as the reference's HSV augmentation: each channel is multiplied by
/// 1 + U(-gain, gain) (hue wraps around the circle), which for these mostly gray scenes acts as a
/// brightness/contrast jitter.
/// </summary>
public static class HsvJitter
{
    public static void Apply(RgbImage image, double hueGain, double saturationGain, double valueGain, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(random);
        double rh = 1 + ((random.NextDouble() * 2) - 1) * hueGain;
        double rs = 1 + ((random.NextDouble() * 2) - 1) * saturationGain;
        double rv = 1 + ((random.NextDouble() * 2) - 1) * valueGain;
        if (hueGain == 0 && saturationGain == 0 && valueGain == 0) return;
        // a gray pixel (r = g = b) has no hue and no saturation: it only takes the value gain, one table for all of
        // them (most of a scene's paper and ink is nearly gray, so this is the common case and exact)
        Span<byte> gray = stackalloc byte[256];
        for (int v = 0; v < 256; v++) gray[v] = (byte)Math.Clamp(Math.Round(Math.Clamp(v * rv, 0, 255)), 0, 255);
        // the other pixels go through the conversion four at a time (the same double arithmetic in the same order as
        // the per-pixel form, so the same bytes: tested)
        var p = image.Pixels;
        var colours = ColourOffsets.ForThisThread(p.Length / 3);
        int count = 0;
        for (int i = 0; i < p.Length; i += 3)
        {
            byte r = p[i], g = p[i + 1], b = p[i + 2];
            if (r == g && g == b) p[i] = p[i + 1] = p[i + 2] = gray[r];
            else colours[count++] = i;
        }
        JitterColours(p, colours.AsSpan(0, count), rh, rs, rv);
    }

    /// <summary>A per-thread buffer for the byte offsets of an image's colour (not gray) pixels.</summary>
    private static class ColourOffsets
    {
        [ThreadStatic]
        private static int[]? s_buffer;

        public static int[] ForThisThread(int pixels) => s_buffer is { } b && b.Length >= pixels ? b : s_buffer = new int[pixels];
    }

    /// <summary>The hue / saturation / value gains applied to the (not gray) pixels at the given byte offsets.</summary>
    private static void JitterColours(byte[] p, ReadOnlySpan<int> offsets, double rh, double rs, double rv)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + 4 <= offsets.Length; k += 4)
            {
                int o0 = offsets[k], o1 = offsets[k + 1], o2 = offsets[k + 2], o3 = offsets[k + 3];
                var r = Vector256.Create(p[o0], p[o1], p[o2], (double)p[o3]);
                var g = Vector256.Create(p[o0 + 1], p[o1 + 1], p[o2 + 1], (double)p[o3 + 1]);
                var b = Vector256.Create(p[o0 + 2], p[o1 + 2], p[o2 + 2], (double)p[o3 + 2]);
                JitterFour(r, g, b, rh, rs, rv, out var nr, out var ng, out var nb);
                Store(p, o0, o1, o2, o3, 0, nr);
                Store(p, o0, o1, o2, o3, 1, ng);
                Store(p, o0, o1, o2, o3, 2, nb);
            }
        }
        for (; k < offsets.Length; k++)
        {
            int i = offsets[k];
            RgbToHsv(p[i], p[i + 1], p[i + 2], out double h, out double s, out double value);
            h *= rh;
            h -= Math.Floor(h);
            s = Math.Clamp(s * rs, 0, 1);
            value = Math.Clamp(value * rv, 0, 255);
            HsvToRgb(h, s, value, out p[i], out p[i + 1], out p[i + 2]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(byte[] p, int o0, int o1, int o2, int o3, int channel, Vector256<long> values)
    {
        p[o0 + channel] = (byte)values.GetElement(0);
        p[o1 + channel] = (byte)values.GetElement(1);
        p[o2 + channel] = (byte)values.GetElement(2);
        p[o3 + channel] = (byte)values.GetElement(3);
    }

    /// <summary><see cref="RgbToHsv"/>, the gains and <see cref="HsvToRgb"/> on four pixels that are not gray (max &gt; min).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void JitterFour(Vector256<double> r, Vector256<double> g, Vector256<double> b, double rh, double rs, double rv,
        out Vector256<long> red, out Vector256<long> green, out Vector256<long> blue)
    {
        var zero = Vector256<double>.Zero;
        var one = Vector256.Create(1.0);
        var six = Vector256.Create(6.0);
        var max = Vector256.Max(r, Vector256.Max(g, b));
        var min = Vector256.Min(r, Vector256.Min(g, b));
        var delta = max - min;
        var s = delta / max;
        var hue = Vector256.ConditionalSelect(Vector256.Equals(max, r), (g - b) / delta,
            Vector256.ConditionalSelect(Vector256.Equals(max, g), Vector256.Create(2.0) + ((b - r) / delta), Vector256.Create(4.0) + ((r - g) / delta)));
        hue /= six;
        var h = Vector256.ConditionalSelect(Vector256.LessThan(hue, zero), hue + one, hue);
        h *= Vector256.Create(rh);
        h -= Vector256.Floor(h);
        s = Vector256.Min(Vector256.Max(s * Vector256.Create(rs), zero), one);
        var v = Vector256.Min(Vector256.Max(max * Vector256.Create(rv), zero), Vector256.Create(255.0));

        var sector = h * six;
        var whole = Vector256.Floor(sector);
        var f = sector - whole;
        var lowest = v * (one - s);
        var falling = v * (one - (s * f));
        var rising = v * (one - (s * (one - f)));
        // sector index = floor % 6 (a floor of 6 is sector 0)
        var in0 = Vector256.Equals(whole, zero) | Vector256.Equals(whole, six);
        var in1 = Vector256.Equals(whole, one);
        var in2 = Vector256.Equals(whole, Vector256.Create(2.0));
        var in3 = Vector256.Equals(whole, Vector256.Create(3.0));
        var in4 = Vector256.Equals(whole, Vector256.Create(4.0));
        var rr = Pick(in0, v, in1, falling, in2, lowest, in3, lowest, in4, rising, v);
        var gg = Pick(in0, rising, in1, v, in2, v, in3, falling, in4, lowest, lowest);
        var bb = Pick(in0, lowest, in1, lowest, in2, rising, in3, v, in4, v, falling);
        red = ToByteRange(rr);
        green = ToByteRange(gg);
        blue = ToByteRange(bb);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Pick(Vector256<double> in0, Vector256<double> v0, Vector256<double> in1, Vector256<double> v1,
        Vector256<double> in2, Vector256<double> v2, Vector256<double> in3, Vector256<double> v3, Vector256<double> in4, Vector256<double> v4,
        Vector256<double> v5) =>
        Vector256.ConditionalSelect(in0, v0, Vector256.ConditionalSelect(in1, v1, Vector256.ConditionalSelect(in2, v2,
            Vector256.ConditionalSelect(in3, v3, Vector256.ConditionalSelect(in4, v4, v5)))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> ToByteRange(Vector256<double> value) =>
        Vector256.ConvertToInt64(Vector256.Min(Vector256.Max(Vector256.Round(value), Vector256<double>.Zero), Vector256.Create(255.0)));

    /// <summary>The per-pixel form without the gray table: what <see cref="Apply"/> is checked against.</summary>
    internal static void ApplyReference(RgbImage image, double rh, double rs, double rv)
    {
        var p = image.Pixels;
        for (int i = 0; i < p.Length; i += 3)
        {
            RgbToHsv(p[i], p[i + 1], p[i + 2], out double h, out double s, out double v);
            h = (h * rh) % 1.0;
            s = Math.Clamp(s * rs, 0, 1);
            v = Math.Clamp(v * rv, 0, 255);
            HsvToRgb(h, s, v, out p[i], out p[i + 1], out p[i + 2]);
        }
    }

    /// <summary>h in [0, 1), s in [0, 1], v in [0, 255].</summary>
    internal static void RgbToHsv(byte r, byte g, byte b, out double h, out double s, out double v)
    {
        int max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
        v = max;
        int delta = max - min;
        s = max == 0 ? 0 : (double)delta / max;
        if (delta == 0)
        {
            h = 0;
            return;
        }
        double hue = max == r ? (double)(g - b) / delta : max == g ? 2 + ((double)(b - r) / delta) : 4 + ((double)(r - g) / delta);
        hue /= 6;
        h = hue < 0 ? hue + 1 : hue;
    }

    internal static void HsvToRgb(double h, double s, double v, out byte r, out byte g, out byte b)
    {
        double sector = h * 6;
        int i = (int)Math.Floor(sector) % 6;
        double f = sector - Math.Floor(sector);
        double p = v * (1 - s), q = v * (1 - (s * f)), t = v * (1 - (s * (1 - f)));
        (double rr, double gg, double bb) = i switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
        r = (byte)Math.Clamp(Math.Round(rr), 0, 255);
        g = (byte)Math.Clamp(Math.Round(gg), 0, 255);
        b = (byte)Math.Clamp(Math.Round(bb), 0, 255);
    }
}
