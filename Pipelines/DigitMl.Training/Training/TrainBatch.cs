namespace DigitMl.Training;

/// <summary>
/// One prepared batch in plain arrays (tensors are created on the training thread): images [Count, 3, S, S] in
/// 0..1, targets [Count, MaxBoxes, 5] (class, x0, y0, x1, y1 in input pixels) and the padding mask [Count, MaxBoxes].
/// </summary>
public sealed record TrainBatch(int Count, int ImageSize, int MaxBoxes, float[] Images, float[] Targets, float[] Mask);
