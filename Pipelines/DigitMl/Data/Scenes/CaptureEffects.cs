namespace DigitMl.Data.Scenes;

/// <summary>
/// Turns a drawn page into a photograph as <see cref="CaptureStyle"/> says, in the order light meets a camera:
/// uneven lighting, shadow and colour cast (one multiplicative pass), defocus (separable Gaussian), motion blur
/// (a line kernel), grayscale, sensor noise, JPEG. Exact arithmetic only; weights from <see cref="ExactMath"/>.
/// </summary>
internal static class CaptureEffects
{
    public static RgbImage Apply(RgbImage page, CaptureStyle style)
    {
        var image = Light(page, style);
        if (style.DefocusSigma > 0) image = Defocus(image, style.DefocusSigma);
        if (style.MotionLength > 0) image = MotionBlur(image, style.MotionLength, style.MotionAngle);
        if (style.Grayscale) ToGrayscale(image);
        if (style.NoiseSigma > 0) AddNoise(image, style.NoiseSigma, style.Grayscale, style.Seed);
        if (style.JpegQuality > 0) image = JpegRoundTrip.Apply(image, style.JpegQuality);
        return image;
    }

    private static RgbImage Light(RgbImage page, CaptureStyle s)
    {
        int w = page.Width, h = page.Height;
        var src = page.Pixels;
        var dst = new byte[src.Length];
        float cx = w / 2f, cy = h / 2f;
        bool flat = s.GradientX == 0 && s.GradientY == 0 && s.Vignette == 0 && s.SpotGain == 0 && s.Shadow is null && s.Cast == new Rgb(1, 1, 1);
        if (flat)
        {
            Array.Copy(src, dst, src.Length);
            return new RgbImage(w, h, dst);
        }
        for (int y = 0; y < h; y++)
        {
            float ny = (y + 0.5f - cy) / cy;
            for (int x = 0; x < w; x++)
            {
                float nx = (x + 0.5f - cx) / cx;
                float light = 1 + (s.GradientX * nx) + (s.GradientY * ny);
                if (s.Vignette > 0) light *= 1 - (s.Vignette * ((nx * nx) + (ny * ny)) / 2);
                if (s.SpotGain > 0)
                {
                    float dx = nx - s.SpotX, dy = ny - s.SpotY;
                    float t = Math.Max(0, 1 - (((dx * dx) + (dy * dy)) / (s.SpotRadius * s.SpotRadius)));
                    light *= 1 + (s.SpotGain * t * t);
                }
                if (s.Shadow is { } shadow) light *= 1 - (shadow.Depth * ShadowCover(shadow, nx, ny));
                int p = ((y * w) + x) * 3;
                dst[p] = ToByte(src[p] * light * s.Cast.R);
                dst[p + 1] = ToByte(src[p + 1] * light * s.Cast.G);
                dst[p + 2] = ToByte(src[p + 2] * light * s.Cast.B);
            }
        }
        return new RgbImage(w, h, dst);
    }

    /// <summary>0 outside the shadow, 1 inside, a smoothstep across its soft edge.</summary>
    private static float ShadowCover(Shadow s, float nx, float ny)
    {
        float d;
        if (s.Ellipse)
        {
            float dx = nx - s.A, dy = ny - s.B;
            d = MathF.Sqrt((dx * dx) + (dy * dy)) - s.Radius; // < 0 inside
        }
        else
        {
            d = s.C - ((nx * s.A) + (ny * s.B));
        }
        float t = Math.Clamp(0.5f - (d / (2 * s.Softness)), 0, 1);
        return t * t * (3 - (2 * t));
    }

    internal static RgbImage Defocus(RgbImage image, float sigma)
    {
        int radius = (int)MathF.Ceiling(3 * sigma);
        var kernel = new float[(2 * radius) + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) sum += ExactMath.Exp(-(k * k) / (2.0 * sigma * sigma));
        for (int k = -radius; k <= radius; k++) kernel[k + radius] = (float)(ExactMath.Exp(-(k * k) / (2.0 * sigma * sigma)) / sum);

        int w = image.Width, h = image.Height;
        var src = image.Pixels;
        var horizontal = new float[src.Length];
        for (int y = 0; y < h; y++)
        {
            int row = y * w;
            for (int x = 0; x < w; x++)
            {
                float r = 0, g = 0, b = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    int p = (row + Math.Clamp(x + k, 0, w - 1)) * 3;
                    float weight = kernel[k + radius];
                    r += src[p] * weight;
                    g += src[p + 1] * weight;
                    b += src[p + 2] * weight;
                }
                int q = (row + x) * 3;
                horizontal[q] = r;
                horizontal[q + 1] = g;
                horizontal[q + 2] = b;
            }
        }
        var dst = new byte[src.Length];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                float r = 0, g = 0, b = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    int p = ((Math.Clamp(y + k, 0, h - 1) * w) + x) * 3;
                    float weight = kernel[k + radius];
                    r += horizontal[p] * weight;
                    g += horizontal[p + 1] * weight;
                    b += horizontal[p + 2] * weight;
                }
                int q = ((y * w) + x) * 3;
                dst[q] = ToByte(r);
                dst[q + 1] = ToByte(g);
                dst[q + 2] = ToByte(b);
            }
        }
        return new RgbImage(w, h, dst);
    }

    /// <summary>The average of samples spaced about half a pixel along a line of <paramref name="length"/> pixels through each pixel.</summary>
    internal static RgbImage MotionBlur(RgbImage image, float length, float angle)
    {
        int samples = Math.Max(2, (int)MathF.Ceiling(length * 2) + 1);
        float ux = (float)ExactMath.Cos(angle), uy = (float)ExactMath.Sin(angle);
        var offsets = new (float X, float Y)[samples];
        for (int i = 0; i < samples; i++)
        {
            float t = ((i / (float)(samples - 1)) - 0.5f) * length;
            offsets[i] = (t * ux, t * uy);
        }
        int w = image.Width, h = image.Height;
        var src = image.Pixels;
        var dst = new byte[src.Length];
        float inv = 1f / samples;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                float r = 0, g = 0, b = 0;
                foreach (var (ox, oy) in offsets)
                {
                    float sx = x + ox, sy = y + oy;
                    float fx0 = MathF.Floor(sx), fy0 = MathF.Floor(sy);
                    float fx = sx - fx0, fy = sy - fy0;
                    int x0 = (int)fx0, y0 = (int)fy0;
                    int a = Index(x0, y0, w, h), bb = Index(x0 + 1, y0, w, h), c = Index(x0, y0 + 1, w, h), d = Index(x0 + 1, y0 + 1, w, h);
                    float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
                    r += (src[a] * w00) + (src[bb] * w10) + (src[c] * w01) + (src[d] * w11);
                    g += (src[a + 1] * w00) + (src[bb + 1] * w10) + (src[c + 1] * w01) + (src[d + 1] * w11);
                    b += (src[a + 2] * w00) + (src[bb + 2] * w10) + (src[c + 2] * w01) + (src[d + 2] * w11);
                }
                int q = ((y * w) + x) * 3;
                dst[q] = ToByte(r * inv);
                dst[q + 1] = ToByte(g * inv);
                dst[q + 2] = ToByte(b * inv);
            }
        }
        return new RgbImage(w, h, dst);
    }

    private static int Index(int x, int y, int w, int h) => ((Math.Clamp(y, 0, h - 1) * w) + Math.Clamp(x, 0, w - 1)) * 3;

    internal static void ToGrayscale(RgbImage image)
    {
        var p = image.Pixels;
        for (int i = 0; i < p.Length; i += 3)
        {
            byte y = (byte)(((299 * p[i]) + (587 * p[i + 1]) + (114 * p[i + 2]) + 500) / 1000);
            p[i] = p[i + 1] = p[i + 2] = y;
        }
    }

    private static void AddNoise(RgbImage image, float sigma, bool gray, uint seed)
    {
        int w = image.Width, h = image.Height;
        var p = image.Pixels;
        float chroma = gray ? 0 : sigma * 0.5f;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                float luma = sigma * ValueNoise.Gaussian(x, y, seed);
                int q = ((y * w) + x) * 3;
                for (int c = 0; c < 3; c++)
                {
                    float n = chroma == 0 ? luma : luma + (chroma * ValueNoise.Gaussian(x, y, seed + (uint)(c + 1) * 0x9E3779B9u));
                    p[q + c] = ToByte(p[q + c] + n);
                }
            }
        }
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value), 0, 255);
}
