namespace DigitMl.Data.Scenes;

/// <summary>Range checks shared by the variation records; messages name the option by its `--vary` key.</summary>
internal static class VariationChecks
{
    public static void Share(string key, double value)
    {
        if (!(value is >= 0 and <= 1)) throw new ArgumentException($"{key} = {value} must be a share within 0..1");
    }

    public static void Weight(string key, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentException($"{key} = {value} must be a weight >= 0");
    }

    public static void Range(string key, double value, double min, double max)
    {
        if (!(value >= min && value <= max)) throw new ArgumentException($"{key} = {value} must be within {min}..{max}");
    }

    public static void Ordered(string minKey, double min, string maxKey, double max)
    {
        if (min > max) throw new ArgumentException($"{minKey} = {min} is above {maxKey} = {max}");
    }

    public static void AnyWeight(string family, params double[] weights)
    {
        if (weights.Sum() <= 0) throw new ArgumentException($"{family}: at least one weight must be above 0");
    }
}
