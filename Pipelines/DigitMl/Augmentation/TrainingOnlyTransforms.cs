using Microsoft.ML;

namespace DigitMl.Augmentation;

/// <summary>Finds training-only transformers (<see cref="ITrainingOnlyTransformer"/>) in a transformer and its nested chains.</summary>
public static class TrainingOnlyTransforms
{
    public static IReadOnlyList<ITrainingOnlyTransformer> In(ITransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        var found = new List<ITrainingOnlyTransformer>();
        Collect(transformer, found);
        return found;
    }

    private static void Collect(ITransformer transformer, List<ITrainingOnlyTransformer> found)
    {
        if (transformer is ITrainingOnlyTransformer trainingOnly) found.Add(trainingOnly);
        // TransformerChain<T> enumerates its members; chains nest when estimator chains are appended
        if (transformer is IEnumerable<ITransformer> chain)
            foreach (var member in chain) Collect(member, found);
    }
}
