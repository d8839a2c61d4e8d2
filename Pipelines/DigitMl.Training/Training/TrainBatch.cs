namespace DigitMl.Training;

/// <summary>
/// One prepared batch in plain arrays (tensors are created on the training thread): the images as RGB bytes
/// [Count, S, S, 3] (each image's pixels as <see cref="Data.RgbImage"/> holds them; the network's input is
/// pixels / 255, made by <see cref="TrainingPrecision.InputFromPixels"/>), targets [Count, MaxBoxes, 5] (class,
/// x0, y0, x1, y1 in input pixels) and the padding mask [Count, MaxBoxes].
/// </summary>
/// <remarks>
/// Bytes rather than floats: a quarter of the memory to fill and copy, and the conversion to the network's dtype runs
/// in libtorch on all of its threads, straight into the channels-last layout the network takes.
/// </remarks>
public sealed record TrainBatch(int Count, int ImageSize, int MaxBoxes, byte[] Pixels, float[] Targets, float[] Mask);
