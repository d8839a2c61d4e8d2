namespace DigitMl.Data.Mnist;

/// <summary>
/// A set of 28x28 grayscale digits (0 = background, 255 = full ink) with their labels, as stored in
/// datasets/mnist (IDX, gzip). Index order is file order; <see cref="Pool"/> applies <see cref="MnistSplit"/>.
/// </summary>
public sealed class MnistDigits
{
    public const int Side = 28;
    public const int PixelsPerDigit = Side * Side;
    public const string ImagesFileName = "images-idx3-ubyte.gz";
    public const string LabelsFileName = "labels-idx1-ubyte.gz";

    private readonly byte[] _pixels;
    private readonly byte[] _labels;
    private readonly Dictionary<string, int[]> _pools;

    public MnistDigits(byte[] pixels, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (pixels.Length != labels.Length * PixelsPerDigit)
            throw new ArgumentException($"{labels.Length} labels need {labels.Length * PixelsPerDigit} pixels, got {pixels.Length}", nameof(pixels));
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] > 9) throw new ArgumentException($"label {labels[i]} at index {i} is not a digit 0..9", nameof(labels));
        }
        _pixels = pixels;
        _labels = labels;
        _pools = BuildPools(labels);
    }

    public int Count => _labels.Length;

    /// <summary>All pixels, digit after digit, row-major 28x28 each.</summary>
    public ReadOnlySpan<byte> AllPixels => _pixels;

    public ReadOnlySpan<byte> AllLabels => _labels;

    public int Label(int index) => _labels[index];

    public ReadOnlySpan<byte> Pixels(int index) => _pixels.AsSpan(index * PixelsPerDigit, PixelsPerDigit);

    /// <summary>How many digits of each class 0..9.</summary>
    public int[] CountsPerClass()
    {
        var counts = new int[10];
        foreach (byte label in _labels) counts[label]++;
        return counts;
    }

    /// <summary>Indices (ascending) of the digits in the train, val or test pool.</summary>
    public IReadOnlyList<int> Pool(string split) => _pools[MnistSplit.Normalize(split)];

    /// <summary>Reads <see cref="ImagesFileName"/> and <see cref="LabelsFileName"/> from <paramref name="mnistDir"/>.</summary>
    public static MnistDigits Load(string mnistDir)
    {
        ArgumentNullException.ThrowIfNull(mnistDir);
        if (!Directory.Exists(mnistDir))
            throw new DirectoryNotFoundException($"{mnistDir}: MNIST folder not found (expected {ImagesFileName} and {LabelsFileName}; see datasets/mnist/README.md)");
        string imagesPath = Path.Combine(mnistDir, ImagesFileName);
        string labelsPath = Path.Combine(mnistDir, LabelsFileName);
        var (imageDims, pixels) = IdxFile.Read(imagesPath);
        var (labelDims, labels) = IdxFile.Read(labelsPath);
        if (imageDims.Length != 3 || imageDims[1] != Side || imageDims[2] != Side)
            throw new InvalidDataException($"{imagesPath}: expected dimensions [n,28,28], got [{string.Join(',', imageDims)}]");
        if (labelDims.Length != 1)
            throw new InvalidDataException($"{labelsPath}: expected one dimension [n], got [{string.Join(',', labelDims)}]");
        if (labelDims[0] != imageDims[0])
            throw new InvalidDataException($"{labelsPath}: {labelDims[0]} labels for {imageDims[0]} images in {imagesPath}");
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] > 9) throw new InvalidDataException($"{labelsPath}: label {labels[i]} at index {i} is not a digit 0..9");
        }
        return new MnistDigits(pixels, labels);
    }

    /// <summary>Writes the two IDX.gz files into <paramref name="mnistDir"/>; the bytes depend only on the digits.</summary>
    public void Save(string mnistDir)
    {
        Directory.CreateDirectory(mnistDir);
        IdxFile.Write(Path.Combine(mnistDir, ImagesFileName), _pixels, Count, Side, Side);
        IdxFile.Write(Path.Combine(mnistDir, LabelsFileName), _labels, Count);
    }

    private static Dictionary<string, int[]> BuildPools(byte[] labels)
    {
        var perClass = new int[10];
        foreach (byte label in labels) perClass[label]++;
        var seen = new int[10];
        var pools = MnistSplit.Names.ToDictionary(name => name, _ => new List<int>());
        for (int i = 0; i < labels.Length; i++)
        {
            int label = labels[i];
            pools[MnistSplit.PoolOf(seen[label]++, perClass[label])].Add(i);
        }
        return pools.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }
}
