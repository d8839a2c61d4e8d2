namespace DigitMl.Data;

/// <summary>
/// A YOLO dataset has problems. The message lists them as <c>file:line: problem</c> (the first
/// <see cref="YoloDatasetOptions.MaxProblemsInMessage"/>, then "... and N more"); <see cref="Problems"/> has all.
/// </summary>
public sealed class DatasetValidationException : Exception
{
    public DatasetValidationException()
        : this("dataset", [])
    {
    }

    public DatasetValidationException(string message)
        : base(message)
    {
        Problems = [];
    }

    public DatasetValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    public DatasetValidationException(string source, IReadOnlyList<DatasetProblem> problems, int maxListed = 20)
        : base(Format(source, problems, maxListed))
    {
        Problems = problems;
    }

    public IReadOnlyList<DatasetProblem> Problems { get; }

    private static string Format(string source, IReadOnlyList<DatasetProblem> problems, int maxListed)
    {
        if (problems.Count == 1) return problems[0].File == source ? problems[0].ToString() : $"{source}: {problems[0]}";
        var lines = new List<string> { $"{source}: {problems.Count} problems:" };
        lines.AddRange(problems.Take(maxListed).Select(p => "  " + p));
        if (problems.Count > maxListed) lines.Add($"  ... and {problems.Count - maxListed} more");
        return string.Join(Environment.NewLine, lines);
    }
}
