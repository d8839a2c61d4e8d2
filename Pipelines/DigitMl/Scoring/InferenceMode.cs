namespace DigitMl.Scoring;

/// <summary>How an image is fed to the network (docs/scoring.md, "Large images").</summary>
public enum InferenceMode
{
    /// <summary>Chosen per image from its size and the model: <see cref="InferencePlanner.Choose"/>.</summary>
    Auto,

    /// <summary>The whole image letterboxed to the training size (the reference's predictor; small images).</summary>
    Letterbox,

    /// <summary>The whole image at its own scale, padded to multiples of 32 (capped by a pixel budget); needs dynamic spatial axes.</summary>
    Native,

    /// <summary>Overlapping windows at the image's own scale, detections merged across windows.</summary>
    Tiles,
}
