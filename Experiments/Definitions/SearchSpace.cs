namespace DigitMl.Experiments.Definitions;

/// <summary>The hyperparameters that vary between trials, each with its candidate values, in declaration order.</summary>
public sealed class SearchSpace
{
    private readonly List<SearchDimension> _dimensions = [];

    public IReadOnlyList<SearchDimension> Dimensions => _dimensions;

    /// <summary>Number of distinct combinations (the grid size).</summary>
    public long Size => _dimensions.Aggregate(1L, (n, d) => n * d.Values.Count);

    public SearchSpace Add(string key, IEnumerable<object?> values)
    {
        var parameter = HyperParameters.Get(key);
        if (_dimensions.Any(d => d.Parameter == parameter))
            throw new ArgumentException($"'{key}' appears twice in the search space");
        var list = values.Select(v => v is string text ? parameter.Parse(text) : parameter.Parse(DigitMl.Training.Settings.Setting.FormatValue(v))).ToList();
        if (list.Count == 0) throw new ArgumentException($"search space entry '{key}' has no values");
        _dimensions.Add(new SearchDimension(parameter, list.Distinct().ToList()));
        return this;
    }

    /// <summary>The combination with the given index in grid order (last dimension changes fastest).</summary>
    public IReadOnlyList<(HyperParameter Parameter, object? Value)> Combination(long index)
    {
        var result = new (HyperParameter, object?)[_dimensions.Count];
        for (int d = _dimensions.Count - 1; d >= 0; d--)
        {
            var values = _dimensions[d].Values;
            result[d] = (_dimensions[d].Parameter, values[(int)(index % values.Count)]);
            index /= values.Count;
        }

        return result;
    }
}

public sealed record SearchDimension(HyperParameter Parameter, IReadOnlyList<object?> Values);
