namespace DigitMl.Data;

/// <summary>
/// One problem found while reading a YOLO dataset: the file it is in (data.yaml, a label file, an image
/// list or an image), the 1-based line (0 when the problem concerns the whole file) and what is wrong.
/// <see cref="SkippedImage"/> is set when <see cref="YoloDatasetOptions.SkipInvalid"/> made the reader
/// leave that image out because of this problem.
/// </summary>
public sealed record DatasetProblem(string File, int Line, string Message, string? Split = null, string? SkippedImage = null)
{
    public override string ToString()
    {
        string location = Line > 0 ? $"{File}:{Line}" : File;
        return SkippedImage is null ? $"{location}: {Message}" : $"{location}: {Message} (skipped image {SkippedImage})";
    }
}
