namespace DigitMl.Evaluation;

/// <summary>
/// Piecewise-linear interpolation with the semantics of numpy's <c>interp</c> (which the reference metrics use):
/// <paramref name="xp"/> non-decreasing; below the first point the result is <c>left</c>, above the last it is
/// <c>right</c>; with repeated x values the last of the equal points wins.
/// </summary>
internal static class NumPyInterpolation
{
    public static double At(double x, ReadOnlySpan<double> xp, ReadOnlySpan<double> fp, double left, double right)
    {
        int n = xp.Length;
        if (n == 0) throw new ArgumentException("no interpolation points", nameof(xp));
        if (double.IsNaN(x)) return x;
        if (x < xp[0]) return left;
        if (x > xp[n - 1]) return right;
        if (x == xp[n - 1]) return fp[n - 1];

        // largest j with xp[j] <= x (upper bound - 1); then xp[j] <= x < xp[j + 1]
        int lo = 0, hi = n;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (xp[mid] <= x) lo = mid + 1;
            else hi = mid;
        }
        int j = lo - 1;
        if (x == xp[j]) return fp[j];
        double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        double value = (slope * (x - xp[j])) + fp[j];
        if (double.IsNaN(value))
        {
            value = (slope * (x - xp[j + 1])) + fp[j + 1];
            if (double.IsNaN(value) && fp[j] == fp[j + 1]) value = fp[j];
        }
        return value;
    }

    public static double At(double x, ReadOnlySpan<double> xp, ReadOnlySpan<double> fp) =>
        At(x, xp, fp, fp[0], fp[^1]);
}
