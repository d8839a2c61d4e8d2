namespace DigitMl.Data.Mnist;

/// <summary>
/// The fixed split rule of the shipped digits: per class, by position within the class, the first
/// floor(n*8/10) digits are the train pool, those up to floor(n*9/10) the val pool, the rest the test pool.
/// </summary>
public static class MnistSplit
{
    public const string Train = "train";
    public const string Val = "val";
    public const string Test = "test";

    public static IReadOnlyList<string> Names { get; } = [Train, Val, Test];

    /// <summary>The pool of the digit at <paramref name="position"/> (0-based) among <paramref name="classCount"/> digits of its class.</summary>
    public static string PoolOf(int position, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, classCount);
        if (position < classCount * 8 / 10) return Train;
        return position < classCount * 9 / 10 ? Val : Test;
    }

    public static string Normalize(string split) => split?.ToLowerInvariant() switch
    {
        Train => Train,
        Val or "valid" or "validation" => Val,
        Test => Test,
        _ => throw new ArgumentException($"unknown split '{split}': expected train, val or test", nameof(split)),
    };
}
