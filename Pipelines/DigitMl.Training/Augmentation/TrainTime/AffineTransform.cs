namespace DigitMl.Training.Augmentation;

/// <summary>A 2-D affine map (x', y') = (A x + B y + C, D x + E y + F).</summary>
public readonly record struct AffineTransform(double A, double B, double C, double D, double E, double F)
{
    public static AffineTransform Identity { get; } = new(1, 0, 0, 0, 1, 0);

    public static AffineTransform Translation(double dx, double dy) => new(1, 0, dx, 0, 1, dy);

    /// <summary>Rotation by <paramref name="degrees"/> (counter-clockwise on screen, as the reference) and uniform scale about the origin.</summary>
    public static AffineTransform RotationScale(double degrees, double scale)
    {
        double a = degrees * Math.PI / 180;
        double c = Math.Cos(a) * scale, s = Math.Sin(a) * scale;
        return new(c, s, 0, -s, c, 0);
    }

    public static AffineTransform Shear(double degreesX, double degreesY) =>
        new(1, Math.Tan(degreesX * Math.PI / 180), 0, Math.Tan(degreesY * Math.PI / 180), 1, 0);

    /// <summary>This transform applied after <paramref name="first"/>.</summary>
    public AffineTransform After(AffineTransform first) => new(
        (A * first.A) + (B * first.D), (A * first.B) + (B * first.E), (A * first.C) + (B * first.F) + C,
        (D * first.A) + (E * first.D), (D * first.B) + (E * first.E), (D * first.C) + (E * first.F) + F);

    public (double X, double Y) Apply(double x, double y) => ((A * x) + (B * y) + C, (D * x) + (E * y) + F);

    public AffineTransform Inverse()
    {
        double det = (A * E) - (B * D);
        if (Math.Abs(det) < 1e-12) throw new InvalidOperationException("affine transform is not invertible");
        double ia = E / det, ib = -B / det, id = -D / det, ie = A / det;
        return new(ia, ib, -((ia * C) + (ib * F)), id, ie, -((id * C) + (ie * F)));
    }
}
