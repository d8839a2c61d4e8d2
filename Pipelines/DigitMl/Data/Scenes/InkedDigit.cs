namespace DigitMl.Data.Scenes;

/// <summary>
/// A digit placed on the page and resampled into image space: its coverage over an image region (which may reach
/// past the canvas), where it sits on the page, and the pen that will write it.
/// </summary>
internal sealed class InkedDigit
{
    public required int ClassId { get; init; }

    public required int SourceIndex { get; init; }

    /// <summary>Image region of <see cref="Coverage"/>: top-left corner and size (may extend outside the canvas).</summary>
    public required int X0 { get; init; }

    public required int Y0 { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>Row-major coverage of the region, 0 or at least <see cref="DigitPatch.MinCoverage"/>.</summary>
    public required float[] Coverage { get; init; }

    /// <summary>Tight box (whole pixels, exclusive ends) of coverage &gt; 0 inside the canvas.</summary>
    public required BoundingBox Box { get; init; }

    /// <summary>The digit's ink box on the page (before the warp): distractors keep clear of it.</summary>
    public required (float U0, float V0, float U1, float V1) PageBox { get; init; }

    public Pen Pen { get; set; }

    public float Darkness { get; set; }
}
