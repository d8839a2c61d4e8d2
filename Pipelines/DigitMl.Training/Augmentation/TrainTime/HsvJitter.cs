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
        var p = image.Pixels;
        for (int i = 0; i < p.Length; i += 3)
        {
            byte r = p[i], g = p[i + 1], b = p[i + 2];
            if (r == g && g == b)
            {
                p[i] = p[i + 1] = p[i + 2] = gray[r];
                continue;
            }
            RgbToHsv(r, g, b, out double h, out double s, out double value);
            h *= rh;
            h -= Math.Floor(h);
            s = Math.Clamp(s * rs, 0, 1);
            value = Math.Clamp(value * rv, 0, 255);
            HsvToRgb(h, s, value, out p[i], out p[i + 1], out p[i + 2]);
        }
    }

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
