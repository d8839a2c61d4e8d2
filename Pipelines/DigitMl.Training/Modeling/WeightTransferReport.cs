namespace DigitMl.Modeling;

/// <summary>A tensor of the file that was not loaded because its shape differs from the model's.</summary>
public sealed record ShapeMismatch(string Name, IReadOnlyList<long> ModelShape, IReadOnlyList<long> FileShape)
{
    public override string ToString() =>
        $"{Name}: model {StoredTensor.FormatShape(ModelShape)}, file {StoredTensor.FormatShape(FileShape)}";
}

/// <summary>A class output whose rows were mapped between a plain and a turn-aware head (same classes).</summary>
public sealed record AdaptedTensor(string Name, IReadOnlyList<long> ModelShape, IReadOnlyList<long> FileShape, string How)
{
    public override string ToString() =>
        $"{Name}: model {StoredTensor.FormatShape(ModelShape)} from file {StoredTensor.FormatShape(FileShape)}, {How}";
}

/// <summary>
/// What is known about the classes on both sides of a weight transfer (null names: unknown). With the same names,
/// a turn-aware file (4 orientations) loads into a plain model and the other way round by mapping class rows.
/// </summary>
public sealed record ClassCorrespondence(IReadOnlyList<string>? FileNames, int FileOrientations, IReadOnlyList<string>? ModelNames);

/// <summary>What <see cref="WeightTransfer.LoadInto(YoloV8Model, string)"/> did with each state-dict entry.</summary>
public sealed record WeightTransferReport(
    string Source,
    IReadOnlyList<string> Loaded,
    IReadOnlyList<ShapeMismatch> Skipped,
    IReadOnlyList<string> Reinitialised,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected)
{
    /// <summary>Class outputs mapped row by row between a plain and a turn-aware head (counted apart from Loaded).</summary>
    public IReadOnlyList<AdaptedTensor> Adapted { get; init; } = [];

    public string Summary =>
        $"{Source}: loaded {Loaded.Count}, " + (Adapted.Count > 0 ? $"adapted {Adapted.Count} (class rows mapped), " : "") +
        $"skipped {Skipped.Count} (shape mismatch), re-initialised {Reinitialised.Count}, missing {Missing.Count}, unexpected {Unexpected.Count}";

    public override string ToString()
    {
        var text = new System.Text.StringBuilder(Summary);
        foreach (var adapted in Adapted)
            text.Append("\n  adapted ").Append(adapted);
        foreach (var skipped in Skipped)
            text.Append("\n  skipped ").Append(skipped).Append(Reinitialised.Contains(skipped.Name) ? " (re-initialised: new classes)" : " (kept its fresh initialisation)");
        foreach (var name in Missing)
            text.Append("\n  missing ").Append(name);
        foreach (var name in Unexpected)
            text.Append("\n  unexpected ").Append(name);
        return text.ToString();
    }
}
