using DigitMl.Data.Mnist;

namespace DigitMl.Data.Scenes;

/// <summary>The shipped MNIST digits, split into train, val and test pools by <see cref="MnistSplit"/>.</summary>
public sealed class MnistDigitSource(MnistDigits digits) : IDigitSource
{
    private readonly Lazy<string> _fingerprint = new(() => SceneDatasetMarker.Sha256Hex(digits.AllPixels.ToArray(), digits.AllLabels.ToArray()));

    public MnistDigits Digits { get; } = digits ?? throw new ArgumentNullException(nameof(digits));

    public string Name => "mnist";

    public string Fingerprint => _fingerprint.Value;

    public bool MayTrain => true;

    public IReadOnlyList<int> Pool(string split) => Digits.Pool(split);

    public int ClassOf(int index) => Digits.Label(index);

    public DigitPatch? Draw(int index, int inkHeight, ulong variant) => DigitPatch.Create(Digits.Pixels(index), inkHeight);
}
