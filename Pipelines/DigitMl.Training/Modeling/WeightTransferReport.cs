namespace DigitMl.Modeling;

/// <summary>A tensor of the file that was not loaded because its shape differs from the model's.</summary>
public sealed record ShapeMismatch(string Name, IReadOnlyList<long> ModelShape, IReadOnlyList<long> FileShape)
{
    public override string ToString() =>
        $"{Name}: model {StoredTensor.FormatShape(ModelShape)}, file {StoredTensor.FormatShape(FileShape)}";
}

/// <summary>What <see cref="WeightTransfer.LoadInto"/> did with each state-dict entry.</summary>
public sealed record WeightTransferReport(
    string Source,
    IReadOnlyList<string> Loaded,
    IReadOnlyList<ShapeMismatch> Skipped,
    IReadOnlyList<string> Reinitialised,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected)
{
    public string Summary =>
        $"{Source}: loaded {Loaded.Count}, skipped {Skipped.Count} (shape mismatch), re-initialised {Reinitialised.Count}, " +
        $"missing {Missing.Count}, unexpected {Unexpected.Count}";

    public override string ToString()
    {
        var text = new System.Text.StringBuilder(Summary);
        foreach (var skipped in Skipped)
            text.Append("\n  skipped ").Append(skipped);
        foreach (var name in Missing)
            text.Append("\n  missing ").Append(name);
        foreach (var name in Unexpected)
            text.Append("\n  unexpected ").Append(name);
        return text.ToString();
    }
}
