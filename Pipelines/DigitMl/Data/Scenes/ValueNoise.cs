namespace DigitMl.Data.Scenes;

/// <summary>
/// Integer hashing and smooth lattice ("value") noise for paper texture, stains, chalk and sensor grain. Values
/// depend only on the coordinates and a seed, never on the order in which pixels are drawn, and use only exact
/// arithmetic, so they are the same on every machine.
/// </summary>
internal static class ValueNoise
{
    /// <summary>A well-mixed 32-bit hash of (x, y, seed).</summary>
    public static uint Hash(int x, int y, uint seed)
    {
        unchecked
        {
            uint h = seed + ((uint)x * 0x9E3779B1u) + ((uint)y * 0x85EBCA77u);
            h ^= h >> 15;
            h *= 0x2C1B3C6Du;
            h ^= h >> 12;
            h *= 0x297A2D39u;
            h ^= h >> 15;
            return h;
        }
    }

    /// <summary>Uniform in [0, 1).</summary>
    public static float Unit(int x, int y, uint seed) => (Hash(x, y, seed) >> 8) * (1f / 16777216f);

    /// <summary>Uniform in [-1, 1).</summary>
    public static float Signed(int x, int y, uint seed) => (Unit(x, y, seed) * 2) - 1;

    /// <summary>Roughly Gaussian (sum of three uniforms), mean 0, standard deviation 1.</summary>
    public static float Gaussian(int x, int y, uint seed) =>
        (Signed(x, y, seed) + Signed(x, y, seed ^ 0x68E31DA4u) + Signed(x, y, seed ^ 0xB5297A4Du));

    /// <summary>Smooth noise in [-1, 1] with features about <paramref name="cell"/> pixels wide (bilinear with smoothstep).</summary>
    public static float Smooth(float u, float v, float cell, uint seed)
    {
        float x = u / cell, y = v / cell;
        float fx0 = MathF.Floor(x), fy0 = MathF.Floor(y);
        int x0 = (int)fx0, y0 = (int)fy0;
        float tx = x - fx0, ty = y - fy0;
        tx = tx * tx * (3 - (2 * tx));
        ty = ty * ty * (3 - (2 * ty));
        float a = Signed(x0, y0, seed), b = Signed(x0 + 1, y0, seed);
        float c = Signed(x0, y0 + 1, seed), d = Signed(x0 + 1, y0 + 1, seed);
        float top = a + ((b - a) * tx), bottom = c + ((d - c) * tx);
        return top + ((bottom - top) * ty);
    }

    /// <summary>Sum of <paramref name="octaves"/> layers of <see cref="Smooth"/>, each half the size and amplitude; about [-1, 1].</summary>
    public static float Fractal(float u, float v, float cell, int octaves, uint seed)
    {
        float sum = 0, amplitude = 0.5f, total = 0;
        for (int o = 0; o < octaves; o++)
        {
            sum += amplitude * Smooth(u, v, cell, seed + ((uint)o * 0x3C6EF372u));
            total += amplitude;
            cell *= 0.5f;
            amplitude *= 0.5f;
        }
        return sum / total;
    }
}
