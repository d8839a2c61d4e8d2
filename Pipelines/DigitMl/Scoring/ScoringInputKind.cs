namespace DigitMl.Scoring;

/// <summary>What the scoring chain's input column holds.</summary>
public enum ScoringInputKind
{
    /// <summary>A text column of image file paths (or <see cref="InMemoryImages"/> pseudo paths).</summary>
    ImagePath,

    /// <summary>An ML.NET image column (<c>MLImage</c>), as <c>mlContext.Transforms.LoadImages</c> makes.</summary>
    MLImage,
}
