using Microsoft.ML;

namespace DigitMl.Augmentation;

/// <summary>
/// Marks a transformer that belongs in training pipelines only (it changes the number of rows, so it can be
/// neither a row-to-row mapper nor part of a saved scoring model). <see cref="TrainingOnlyTransforms.In"/>
/// finds such transformers in a chain, which is how tests prove a scoring chain is free of them.
/// </summary>
public interface ITrainingOnlyTransformer : ITransformer
{
}
