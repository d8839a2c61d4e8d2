namespace DigitMl.Data;

/// <summary>How <see cref="YoloDataset.Load"/> reads and validates a dataset.</summary>
public sealed class YoloDatasetOptions
{
    /// <summary>
    /// false (default): any problem fails the load with one <see cref="DatasetValidationException"/> listing all of them.
    /// true: images with a problem (bad label line, unreadable image, duplicate listing) are left out, each skip is
    /// listed in <see cref="YoloDataset.Problems"/> and written to the report file (<see cref="ReportPath"/>).
    /// Problems of data.yaml itself (missing split folder, bad names) always fail.
    /// </summary>
    public bool SkipInvalid { get; init; }

    /// <summary>Where the skip report is written when <see cref="SkipInvalid"/> is set. Default: next to data.yaml,
    /// <c>&lt;yaml name&gt;.skipped.txt</c> (or the temp folder when that is not writable), written only when something was skipped.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Normalised box corners may lie this far outside [0, 1] and are then clipped; further out is an error.</summary>
    public float CoordinateTolerance { get; init; } = 0.01f;

    /// <summary>How many problems the exception message lists before "... and N more".</summary>
    public int MaxProblemsInMessage { get; init; } = 20;

    /// <summary>Decode every image fully while loading (finds corrupt data inside a file, costs a decode per image).
    /// Without it the reader checks the header (size) and the end-of-file marker (truncation) only.</summary>
    public bool VerifyPixels { get; init; }

    /// <summary>Splits to read during <see cref="YoloDataset.Load"/>; null means all. Others are read (and validated) on first use.</summary>
    public IReadOnlyCollection<string>? Splits { get; init; }

    /// <summary>Threads used to read image headers and label files; null means one per core.</summary>
    public int? MaxParallelism { get; init; }
}
