namespace DigitMl.Data.Scenes;

/// <summary>
/// One drawn scene. <see cref="Image"/> is what is saved. <see cref="Page"/> is the page before capture effects
/// (lighting, blur, noise, JPEG) and <see cref="Background"/> the same page without the labelled digits (paper,
/// lines, distractors, separators): every pixel where the two differ lies in a digit's box, and every box edge has
/// such a pixel, which is what "exact boxes" means here (tested).
/// </summary>
internal sealed record RenderedScene(RgbImage Image, RgbImage Page, RgbImage Background, IReadOnlyList<PlacedDigit> Digits, SceneStyle Style);

/// <summary>What was chosen for one scene (for tests and for reading a dataset by condition).</summary>
internal sealed record SceneStyle(bool Plain, InkMode Mode, PaperStyle Paper, InkStyle Ink, CaptureStyle Capture, bool Rows, bool Touching, bool Cut, int Marks);
