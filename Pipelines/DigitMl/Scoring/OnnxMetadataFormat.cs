using System.Globalization;
using System.Text;

namespace DigitMl.Scoring;

/// <summary>
/// Formats metadata values the way the reference exporter does (Python <c>str()</c> of its values),
/// so tools that read <c>names</c> with <c>ast.literal_eval</c> keep working, and parses them back.
/// </summary>
public static class OnnxMetadataFormat
{
    /// <summary>{0: 'a', 1: 'b'}</summary>
    public static string FormatNames(IReadOnlyList<string> names)
    {
        var text = new StringBuilder("{");
        for (int i = 0; i < names.Count; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(": ").Append(PythonString(names[i]));
        }

        return text.Append('}').ToString();
    }

    /// <summary>[h, w]</summary>
    public static string FormatImageSize(int height, int width) =>
        string.Create(CultureInfo.InvariantCulture, $"[{height}, {width}]");

    /// <summary>Parses a <c>names</c> value written by <see cref="FormatNames"/> or by the reference exporter.</summary>
    public static IReadOnlyList<string> ParseNames(string value)
    {
        var names = new SortedDictionary<int, string>();
        int i = SkipSpaces(value, 0);
        Expect(value, ref i, '{');
        while (true)
        {
            i = SkipSpaces(value, i);
            if (i < value.Length && value[i] == '}') break;
            int start = i;
            while (i < value.Length && char.IsAsciiDigit(value[i])) i++;
            if (start == i) throw new FormatException($"names metadata: expected a class index at position {start} in {value}");
            int index = int.Parse(value.AsSpan(start, i - start), CultureInfo.InvariantCulture);
            i = SkipSpaces(value, i);
            Expect(value, ref i, ':');
            i = SkipSpaces(value, i);
            names[index] = ReadPythonString(value, ref i);
            i = SkipSpaces(value, i);
            if (i < value.Length && value[i] == ',') i++;
        }

        var list = new List<string>();
        foreach (var (index, name) in names)
        {
            if (index != list.Count) throw new FormatException($"names metadata: class indices are not 0..n-1 in {value}");
            list.Add(name);
        }

        return list;
    }

    private static string PythonString(string value)
    {
        char quote = value.Contains('\'') && !value.Contains('"') ? '"' : '\'';
        var text = new StringBuilder().Append(quote);
        foreach (char c in value)
        {
            if (c == '\\' || c == quote) text.Append('\\');
            text.Append(c);
        }

        return text.Append(quote).ToString();
    }

    private static string ReadPythonString(string value, ref int i)
    {
        if (i >= value.Length || (value[i] != '\'' && value[i] != '"'))
            throw new FormatException($"names metadata: expected a quoted name at position {i} in {value}");
        char quote = value[i++];
        var text = new StringBuilder();
        while (i < value.Length && value[i] != quote)
        {
            if (value[i] == '\\' && i + 1 < value.Length) i++;
            text.Append(value[i++]);
        }

        Expect(value, ref i, quote);
        return text.ToString();
    }

    private static int SkipSpaces(string value, int i)
    {
        while (i < value.Length && char.IsWhiteSpace(value[i])) i++;
        return i;
    }

    private static void Expect(string value, ref int i, char c)
    {
        if (i >= value.Length || value[i] != c)
            throw new FormatException($"names metadata: expected '{c}' at position {i} in {value}");
        i++;
    }
}
