namespace DigitMl.Data.Scenes;

/// <summary>
/// Where digits go and what shape the canvas has (`--vary layout.KEY=VALUE`): non-square canvases, dense rows
/// of digits (numbers, dates, times, meter readings), touching neighbours, and digits cut by the border.
/// </summary>
public sealed record LayoutVariation
{
    /// <summary>
    /// Scenes on a non-square canvas: the long side stays the canvas's longer side, the short one is that divided by
    /// an aspect ratio drawn from [1, <see cref="MaxAspect"/>], landscape or portrait.
    /// </summary>
    public double AspectShare { get; init; } = 0.3;

    public double MaxAspect { get; init; } = 2;

    /// <summary>Scale of the canvas's long side, drawn from [<see cref="MinScale"/>, 1] for every scene (1: always the full size).</summary>
    public double MinScale { get; init; } = 1;

    /// <summary>Scenes whose digits are written in rows: numbers (some with a decimal point), dates, times, grouped numbers and meter readings in boxes.</summary>
    public double RowsShare { get; init; } = 0.35;

    /// <summary>Most digits in one row scene (each row scene aims at min digits..this many, spread over the canvas).</summary>
    public int MaxRowDigits { get; init; } = 16;

    /// <summary>Row scenes whose neighbours touch or overlap a little (boxes may then share up to <see cref="SceneRenderer.TouchingOverlap"/> of the smaller box).</summary>
    public double TouchingShare { get; init; } = 0.4;

    /// <summary>
    /// Scenes where digits may be cut by the border. A cut digit is labelled with its visible box if at least
    /// <see cref="MinVisibleInk"/> of its ink is inside the image; a placement that would show less is not drawn.
    /// </summary>
    public double CutShare { get; init; } = 0.25;

    public double MinVisibleInk { get; init; } = 0.6;

    /// <summary>Square canvas, digits scattered, none cut.</summary>
    public static LayoutVariation None { get; } = new() { AspectShare = 0, RowsShare = 0, TouchingShare = 0, CutShare = 0 };

    /// <summary>Every layout effect, often (the montage of the geometry family).</summary>
    public static LayoutVariation Strong { get; } = new() { AspectShare = 0.6, RowsShare = 0.6, TouchingShare = 0.6, CutShare = 0.6 };

    internal void Validate()
    {
        VariationChecks.Share("layout.aspectShare", AspectShare);
        VariationChecks.Range("layout.maxAspect", MaxAspect, 1, 4);
        VariationChecks.Range("layout.minScale", MinScale, 0.25, 1);
        VariationChecks.Share("layout.rowsShare", RowsShare);
        VariationChecks.Range("layout.maxRowDigits", MaxRowDigits, 1, 400);
        VariationChecks.Share("layout.touchingShare", TouchingShare);
        VariationChecks.Share("layout.cutShare", CutShare);
        VariationChecks.Range("layout.minVisibleInk", MinVisibleInk, 0.3, 1);
    }
}
