namespace DigitMl.Data.Scenes;

/// <summary>
/// Where each output pixel looks on the page: a homography from image coordinates to page coordinates (both with
/// pixel centres at +0.5), made of a small rotation about the image centre and a perspective tilt. The identity
/// maps pixel centres to themselves exactly, so untilted scenes sample digits at their own pixels.
/// </summary>
internal sealed class PageWarp
{
    private readonly double[] _toPage;   // 3x3 row-major: image -> page
    private readonly double[] _toImage;  // its inverse

    private PageWarp(double[] toPage)
    {
        _toPage = toPage;
        _toImage = Invert(toPage);
        IsIdentity = toPage.SequenceEqual(IdentityMatrix);
    }

    private static readonly double[] IdentityMatrix = [1, 0, 0, 0, 1, 0, 0, 0, 1];

    public static PageWarp Identity { get; } = new(IdentityMatrix);

    public bool IsIdentity { get; }

    /// <summary>
    /// Rotation by <paramref name="degrees"/> (clockwise on screen) about the image centre, and a tilt whose
    /// projective terms move the corners by about <paramref name="tiltX"/>, <paramref name="tiltY"/> of the half side.
    /// </summary>
    public static PageWarp Create(int width, int height, double degrees, double tiltX, double tiltY)
    {
        if (degrees == 0 && tiltX == 0 && tiltY == 0) return Identity;
        double cx = width / 2.0, cy = height / 2.0;
        double a = ExactMath.DegreesToRadians(degrees), cos = ExactMath.Cos(a), sin = ExactMath.Sin(a);
        // image -> centred -> perspective divide (w = 1 + tx*dx/cx + ty*dy/cy) -> rotate -> page
        double[] centre = [1, 0, -cx, 0, 1, -cy, 0, 0, 1];
        double[] tilt = [1, 0, 0, 0, 1, 0, tiltX / cx, tiltY / cy, 1];
        double[] rotate = [cos, -sin, 0, sin, cos, 0, 0, 0, 1];
        double[] back = [1, 0, cx, 0, 1, cy, 0, 0, 1];
        return new PageWarp(Multiply(back, Multiply(rotate, Multiply(tilt, centre))));
    }

    /// <summary>The page point seen at image point (x, y) (continuous coordinates).</summary>
    public (double U, double V) ToPage(double x, double y) => Apply(_toPage, x, y);

    /// <summary>The image point where page point (u, v) appears.</summary>
    public (double X, double Y) ToImage(double u, double v) => Apply(_toImage, u, v);

    /// <summary>The image-space bounding box (whole pixels, inclusive start, exclusive end) of a page rectangle, grown by <paramref name="margin"/> pixels.</summary>
    public (int X0, int Y0, int X1, int Y1) ImageBounds(double u0, double v0, double u1, double v1, int margin)
    {
        if (IsIdentity)
            return ((int)Math.Floor(u0) - margin, (int)Math.Floor(v0) - margin, (int)Math.Ceiling(u1) + margin, (int)Math.Ceiling(v1) + margin);
        double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
        foreach (var (u, v) in new[] { (u0, v0), (u1, v0), (u0, v1), (u1, v1) })
        {
            var (x, y) = ToImage(u, v);
            x0 = Math.Min(x0, x);
            y0 = Math.Min(y0, y);
            x1 = Math.Max(x1, x);
            y1 = Math.Max(y1, y);
        }
        return ((int)Math.Floor(x0) - margin, (int)Math.Floor(y0) - margin, (int)Math.Ceiling(x1) + margin, (int)Math.Ceiling(y1) + margin);
    }

    private static (double, double) Apply(double[] m, double x, double y)
    {
        double w = (m[6] * x) + (m[7] * y) + m[8];
        return (((m[0] * x) + (m[1] * y) + m[2]) / w, ((m[3] * x) + (m[4] * y) + m[5]) / w);
    }

    private static double[] Multiply(double[] a, double[] b)
    {
        var r = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                r[(i * 3) + j] = (a[i * 3] * b[j]) + (a[(i * 3) + 1] * b[3 + j]) + (a[(i * 3) + 2] * b[6 + j]);
        return r;
    }

    private static double[] Invert(double[] m)
    {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double A = (e * i) - (f * h), B = -((d * i) - (f * g)), C = (d * h) - (e * g);
        double det = (a * A) + (b * B) + (c * C);
        return
        [
            A / det, -((b * i) - (c * h)) / det, ((b * f) - (c * e)) / det,
            B / det, ((a * i) - (c * g)) / det, -((a * f) - (c * d)) / det,
            C / det, -((a * h) - (b * g)) / det, ((a * e) - (b * d)) / det,
        ];
    }
}
