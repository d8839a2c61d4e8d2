namespace DigitMl.Data.Scenes;

/// <summary>
/// Sine, cosine and exponential from +, -, *, / and rounding only. IEEE 754 defines those operations exactly,
/// while <see cref="Math.Sin(double)"/> and friends call the platform's C library, whose last bits differ between
/// machines and runtime versions. Scene pixels must be the same everywhere, so the generator uses these.
/// Accuracy is about 1e-15 relative, far more than drawing needs.
/// </summary>
internal static class ExactMath
{
    private const double TwoPi = 6.283185307179586;
    private const double HalfPi = 1.5707963267948966;
    private const double Ln2 = 0.6931471805599453;

    public static double DegreesToRadians(double degrees) => degrees * (Math.PI / 180);

    public static double Sin(double x)
    {
        x -= Math.Round(x / TwoPi) * TwoPi; // [-pi, pi]
        // quadrant reduction to [-pi/4, pi/4]
        double k = Math.Round(x / HalfPi);
        double r = x - (k * HalfPi);
        return ((int)k & 3) switch
        {
            0 => SinKernel(r),
            1 => CosKernel(r),
            2 => -SinKernel(r),
            _ => -CosKernel(r),
        };
    }

    public static double Cos(double x) => Sin(x + HalfPi);

    /// <summary>e^x; 0 below -700.</summary>
    public static double Exp(double x)
    {
        if (x < -700) return 0;
        if (x > 700) return double.PositiveInfinity;
        double k = Math.Round(x / Ln2);
        double r = x - (k * Ln2); // |r| <= ln2 / 2
        // Taylor series to r^14: error below 1e-16 for |r| <= 0.35
        double term = 1, sum = 1;
        for (int n = 1; n <= 14; n++)
        {
            term = term * r / n;
            sum += term;
        }
        return Math.ScaleB(sum, (int)k);
    }

    // Taylor series on [-pi/4, pi/4] in nested (Horner) form, to r^13 and r^14: error below 1e-16 there
    private static double SinKernel(double r)
    {
        double r2 = r * r, s = 1;
        for (int n = 6; n >= 1; n--) s = 1 - (r2 * s / ((2.0 * n) * ((2.0 * n) + 1)));
        return r * s;
    }

    private static double CosKernel(double r)
    {
        double r2 = r * r, c = 1;
        for (int n = 7; n >= 1; n--) c = 1 - (r2 * c / (((2.0 * n) - 1) * (2.0 * n)));
        return c;
    }
}
