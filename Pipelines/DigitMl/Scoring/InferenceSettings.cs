using System.Globalization;

namespace DigitMl.Scoring;

/// <summary>
/// How images are fed to the network: the mode (auto by default), the tile size and overlap of tiled inference and
/// the pixel budget of native-size inference. See <see cref="InferencePlanner"/>.
/// </summary>
public sealed record InferenceSettings
{
    /// <summary>1600 x 1600: a native-size input above this is scaled down to it.</summary>
    public const long DefaultMaxPixels = 1600L * 1600;

    public const float DefaultTileOverlap = 0.25f;

    public InferenceMode Mode { get; init; } = InferenceMode.Auto;

    /// <summary>Tile side in pixels (a multiple of 32); default: the model's fixed input size, else its training size.</summary>
    public int? TileSize { get; init; }

    /// <summary>Share of a tile that overlaps its neighbour, 0 to 0.75.</summary>
    public float TileOverlap { get; init; } = DefaultTileOverlap;

    /// <summary>Pixel budget of a native-size input (width x height after padding to multiples of 32, about).</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    public static InferenceSettings Default { get; } = new();

    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "inference mode must be auto, letterbox, native or tiles");
        if (TileSize is { } tile && (tile < 32 || tile % 32 != 0))
            throw new ArgumentOutOfRangeException(nameof(TileSize), tile, "tile size must be a positive multiple of 32");
        if (!(TileOverlap >= 0 && TileOverlap <= 0.75f))
            throw new ArgumentOutOfRangeException(nameof(TileOverlap), TileOverlap, "tile overlap must be within 0..0.75");
        if (MaxPixels < 32 * 32)
            throw new ArgumentOutOfRangeException(nameof(MaxPixels), MaxPixels, "native pixel budget must be at least 32 x 32");
    }

    /// <summary>Parses a mode name as the CLI takes it (auto, letterbox, native, tiles; any case).</summary>
    public static InferenceMode ParseMode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Enum.TryParse<InferenceMode>(text.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(text, out _)
            ? mode
            : throw new FormatException($"unknown inference mode '{text}' (expected auto, letterbox, native or tiles)");
    }

    public static string FormatMode(InferenceMode mode) => mode.ToString().ToLower(CultureInfo.InvariantCulture);
}
