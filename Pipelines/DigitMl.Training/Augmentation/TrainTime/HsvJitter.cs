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
        // the other pixels are gathered into float lanes and go through the conversion eight at a time (float32:
        // within one level of the double form, tested; the gray ones above are exact)
        var p = image.Pixels;
        var lanes = ColourLanes.ForThisThread(p.Length / 3);
        int count = 0;
        // without a branch (gray and colour pixels alternate unpredictably): every pixel is written to the next lane
        // and takes the gray table's value; only a colour pixel advances the lane count, and its table value is
        // overwritten below
        var offsets = lanes.Offsets;
        var reds = lanes.Red;
        var greens = lanes.Green;
        var blues = lanes.Blue;
        for (int i = 0; i + 2 < p.Length; i += 3)
        {
            byte r = p[i], g = p[i + 1], b = p[i + 2];
            offsets[count] = i;
            reds[count] = r;
            greens[count] = g;
            blues[count] = b;
            p[i] = p[i + 1] = p[i + 2] = gray[r];
            int difference = (r ^ g) | (g ^ b);
            count += (difference + 255) >> 8;
        }
        if (count == 0) return;
        // pad to whole vectors with a colour (pure red): the padding lanes are computed and not written back
        int padded = (count + Lanes - 1) / Lanes * Lanes;
        for (int k = count; k < padded; k++) (lanes.Red[k], lanes.Green[k], lanes.Blue[k]) = (255, 0, 0);
        JitterColours(lanes, padded, (float)rh, (float)rs, (float)rv);
        for (int k = 0; k < count; k++)
        {
            int o = lanes.Offsets[k];
            p[o] = (byte)lanes.Red[k];
            p[o + 1] = (byte)lanes.Green[k];
            p[o + 2] = (byte)lanes.Blue[k];
        }
    }

    private static int Lanes => Vector256<float>.Count;

    /// <summary>Per-thread buffers for an image's colour (not gray) pixels: their byte offsets and channels as floats.</summary>
    private sealed class ColourLanes
    {
        [ThreadStatic]
        private static ColourLanes? s_lanes;

        private ColourLanes(int capacity)
        {
            Offsets = new int[capacity];
            Red = new float[capacity];
            Green = new float[capacity];
            Blue = new float[capacity];
        }

        public int[] Offsets { get; }
        public float[] Red { get; }
        public float[] Green { get; }
        public float[] Blue { get; }

        public static ColourLanes ForThisThread(int pixels)
        {
            int capacity = pixels + Lanes;
            return s_lanes is { } lanes && lanes.Offsets.Length >= capacity ? lanes : s_lanes = new ColourLanes(capacity);
        }
    }

    /// <summary>The hue / saturation / value gains applied in place to the first <paramref name="count"/> lanes (a multiple of the vector width).</summary>
    private static void JitterColours(ColourLanes lanes, int count, float rh, float rs, float rv)
    {
        var red = lanes.Red.AsSpan(0, count);
        var green = lanes.Green.AsSpan(0, count);
        var blue = lanes.Blue.AsSpan(0, count);
        for (int k = 0; k < count; k += Lanes)
        {
            var r = Vector256.Create<float>(red[k..]);
            var g = Vector256.Create<float>(green[k..]);
            var b = Vector256.Create<float>(blue[k..]);
            JitterEight(r, g, b, rh, rs, rv, out var nr, out var ng, out var nb);
            nr.CopyTo(red[k..]);
            ng.CopyTo(green[k..]);
            nb.CopyTo(blue[k..]);
        }
    }

    /// <summary><see cref="RgbToHsv"/>, the gains and <see cref="HsvToRgb"/> on eight pixels that are not gray (max &gt; min), results rounded to [0, 255].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void JitterEight(Vector256<float> r, Vector256<float> g, Vector256<float> b, float rh, float rs, float rv,
        out Vector256<float> red, out Vector256<float> green, out Vector256<float> blue)
    {
        var zero = Vector256<float>.Zero;
        var one = Vector256.Create(1f);
        var six = Vector256.Create(6f);
        var max = Vector256.Max(r, Vector256.Max(g, b));
        var min = Vector256.Min(r, Vector256.Min(g, b));
        var delta = max - min;
        var s = delta / max;
        var hue = Vector256.ConditionalSelect(Vector256.Equals(max, r), (g - b) / delta,
            Vector256.ConditionalSelect(Vector256.Equals(max, g), Vector256.Create(2f) + ((b - r) / delta), Vector256.Create(4f) + ((r - g) / delta)));
        hue /= six;
        var h = Vector256.ConditionalSelect(Vector256.LessThan(hue, zero), hue + one, hue);
        h *= Vector256.Create(rh);
        h -= Vector256.Floor(h);
        s = Vector256.Min(Vector256.Max(s * Vector256.Create(rs), zero), one);
        var v = Vector256.Min(Vector256.Max(max * Vector256.Create(rv), zero), Vector256.Create(255f));

        var sector = h * six;
        var whole = Vector256.Floor(sector);
        var f = sector - whole;
        var lowest = v * (one - s);
        var falling = v * (one - (s * f));
        var rising = v * (one - (s * (one - f)));
        // sector index = floor % 6 (a floor of 6 is sector 0)
        var in0 = Vector256.Equals(whole, zero) | Vector256.Equals(whole, six);
        var in1 = Vector256.Equals(whole, one);
        var in2 = Vector256.Equals(whole, Vector256.Create(2f));
        var in3 = Vector256.Equals(whole, Vector256.Create(3f));
        var in4 = Vector256.Equals(whole, Vector256.Create(4f));
        red = ToByteRange(Pick(in0, v, in1, falling, in2, lowest, in3, lowest, in4, rising, v));
        green = ToByteRange(Pick(in0, rising, in1, v, in2, v, in3, falling, in4, lowest, lowest));
        blue = ToByteRange(Pick(in0, lowest, in1, lowest, in2, rising, in3, v, in4, v, falling));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Pick(Vector256<float> in0, Vector256<float> v0, Vector256<float> in1, Vector256<float> v1,
        Vector256<float> in2, Vector256<float> v2, Vector256<float> in3, Vector256<float> v3, Vector256<float> in4, Vector256<float> v4,
        Vector256<float> v5) =>
        Vector256.ConditionalSelect(in0, v0, Vector256.ConditionalSelect(in1, v1, Vector256.ConditionalSelect(in2, v2,
            Vector256.ConditionalSelect(in3, v3, Vector256.ConditionalSelect(in4, v4, v5)))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ToByteRange(Vector256<float> value) =>
        Vector256.Min(Vector256.Max(Vector256.Round(value), Vector256<float>.Zero), Vector256.Create(255f));

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
