using System.Globalization;
using System.Text;
using DigitMl.Data.Mnist;

namespace DigitMl.Data.Scenes;

/// <summary>
/// Digits from another source plus handwritten symbols (<see cref="SceneSymbol"/>) as extra classes after the digits:
/// minus sign, decimal point, plus sign. A symbol takes the place of a digit anywhere a digit may go (scattered or in a
/// row), about <see cref="Share"/> of all marks, and is labelled with the tight box of its ink like a digit. The
/// generator never draws these glyphs as unlabelled separators or distractors then (<see cref="IDigitSource.LabelledGlyphs"/>).
/// Symbols are drawn, not taken from MNIST, so every split may use them.
/// </summary>
public sealed class SymbolDigitSource : IDigitSource
{
    /// <summary>Bump when the drawing of symbols changes: it is part of the fingerprint.</summary>
    private const string DrawingVersion = "symbols/1";

    private readonly IDigitSource _digits;
    private readonly int _firstSymbolIndex;
    private readonly Dictionary<string, IReadOnlyList<int>> _pools = [];

    public SymbolDigitSource(IDigitSource digits, IReadOnlyList<SceneSymbol> symbols, double share = 0.15)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentNullException.ThrowIfNull(symbols);
        if (symbols.Count == 0) throw new ArgumentException("at least one symbol is needed", nameof(symbols));
        if (symbols.Distinct().Count() != symbols.Count) throw new ArgumentException("a symbol is listed twice", nameof(symbols));
        if (share is <= 0 or >= 1) throw new ArgumentException($"symbol share {share} must be between 0 and 1 (exclusive)", nameof(share));
        _digits = digits;
        Symbols = symbols;
        Share = share;
        ClassNames = [.. digits.ClassNames, .. symbols.Select(s => s.Name)];
        LabelledGlyphs = new HashSet<char>([.. digits.LabelledGlyphs, .. symbols.Select(s => s.Glyph)]);
        _firstSymbolIndex = 1 + MnistSplit.Names.SelectMany(digits.Pool).DefaultIfEmpty(-1).Max();
    }

    public IReadOnlyList<SceneSymbol> Symbols { get; }

    /// <summary>Expected share of symbols among the marks of a scene.</summary>
    public double Share { get; }

    public string Name => $"{_digits.Name}+{string.Join("+", Symbols.Select(s => s.Name))}";

    public string Fingerprint => SceneDatasetMarker.Sha256Hex(Encoding.UTF8.GetBytes(
        $"{_digits.Fingerprint}|{DrawingVersion}|{string.Join(",", Symbols.Select(s => s.Name))}|{Share.ToString("R", CultureInfo.InvariantCulture)}"));

    public bool MayTrain => _digits.MayTrain;

    public IReadOnlyList<string> ClassNames { get; }

    public IReadOnlySet<char> LabelledGlyphs { get; }

    public IReadOnlyList<int> Pool(string split)
    {
        lock (_pools)
        {
            if (_pools.TryGetValue(split, out var pool)) return pool;
            var digits = _digits.Pool(split);
            int symbols = digits.Count == 0 ? 0 : Math.Max(Symbols.Count, (int)Math.Round(digits.Count * Share / (1 - Share)));
            pool = [.. digits, .. Enumerable.Range(_firstSymbolIndex, symbols)];
            _pools[split] = pool;
            return pool;
        }
    }

    public int ClassOf(int index) => index < _firstSymbolIndex
        ? _digits.ClassOf(index)
        : _digits.ClassNames.Count + SymbolOf(index);

    public DigitPatch? Draw(int index, int inkHeight, ulong variant) => index < _firstSymbolIndex
        ? _digits.Draw(index, inkHeight, variant)
        : SymbolStrokes.Draw(Symbols[SymbolOf(index)], inkHeight, new SceneRandom(variant ^ ((ulong)index * 0x9E3779B97F4A7C15UL)));

    private int SymbolOf(int index) => (index - _firstSymbolIndex) % Symbols.Count;
}
