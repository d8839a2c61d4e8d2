namespace DigitMl.Data;

/// <summary>An axis-aligned box in image pixels: (X0, Y0) top-left corner, (X1, Y1) bottom-right corner.</summary>
public readonly record struct BoundingBox(float X0, float Y0, float X1, float Y1)
{
    public float Width => X1 - X0;

    public float Height => Y1 - Y0;

    public float Area => Math.Max(0, Width) * Math.Max(0, Height);

    public float CenterX => (X0 + X1) / 2;

    public float CenterY => (Y0 + Y1) / 2;

    public static BoundingBox FromCenter(float cx, float cy, float w, float h) =>
        new(cx - (w / 2), cy - (h / 2), cx + (w / 2), cy + (h / 2));

    /// <summary>Intersection over union; 0 when either box is empty.</summary>
    public float IoU(BoundingBox other)
    {
        float iw = Math.Min(X1, other.X1) - Math.Max(X0, other.X0);
        float ih = Math.Min(Y1, other.Y1) - Math.Max(Y0, other.Y0);
        if (iw <= 0 || ih <= 0) return 0;
        float inter = iw * ih;
        float union = Area + other.Area - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
