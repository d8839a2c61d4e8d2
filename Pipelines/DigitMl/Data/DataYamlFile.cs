using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DigitMl.Data;

/// <summary>
/// A parsed Ultralytics/Roboflow data.yaml: the dataset root, the class names and each split's image sources
/// as absolute paths (folders, .txt image lists, or single images).
/// <para>Path rules. <c>path</c>: absolute, or relative to the folder of data.yaml (so a dataset reads the same from
/// wherever it is opened; only when that folder does not exist, relative to the working directory as Ultralytics
/// reads it); missing means the yaml's folder.
/// Split entries: absolute, or relative to <c>path</c>; an entry starting with <c>../</c> that does not exist is
/// retried without it, as Ultralytics does for Roboflow exports (<c>train: ../train/images</c> next to the yaml).</para>
/// </summary>
internal sealed class DataYamlFile
{
    private static readonly HashSet<string> StandardSplits = new(["train", "val", "test"], StringComparer.Ordinal);

    // Keys that describe the dataset rather than name images.
    private static readonly HashSet<string> NonSplitKeys =
        new(["path", "names", "nc", "download", "yaml_file", "kpt_shape", "flip_idx", "channels", "roboflow", "license", "url"], StringComparer.Ordinal);

    private DataYamlFile(string yamlPath, string root, IReadOnlyList<string> names, IReadOnlyList<SplitSource> splits)
    {
        YamlPath = yamlPath;
        Root = root;
        Names = names;
        Splits = splits;
    }

    public string YamlPath { get; }

    public string Root { get; }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<SplitSource> Splits { get; }

    public static DataYamlFile Read(string dataYamlPath, int maxProblemsInMessage)
    {
        string yamlPath = Path.GetFullPath(dataYamlPath);
        if (!File.Exists(yamlPath))
            throw new FileNotFoundException($"{yamlPath}: data.yaml not found", yamlPath);
        var problems = new List<DatasetProblem>();
        YamlMappingNode mapping = ParseMapping(yamlPath);

        var root = ResolveRoot(yamlPath, mapping, problems);
        var names = ReadNames(yamlPath, mapping, problems);
        var splits = new List<SplitSource>();
        if (root is not null)
        {
            foreach (var (keyNode, value) in mapping.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } key } || NonSplitKeys.Contains(key) || IsNull(value)) continue;
                bool standard = StandardSplits.Contains(key);
                var entries = ReadEntries(value);
                if (entries is null)
                {
                    if (standard)
                        problems.Add(new(yamlPath, Line(value), $"'{key}' must be a folder, a .txt image list or a list of those"));
                    continue;
                }
                var resolved = entries.Select(e => (e.Text, e.Line, Path: ResolveEntry(root, e.Text))).ToList();
                if (!standard && !resolved.All(r => LooksLikeImageSource(r.Path))) continue;
                foreach (var (text, line, path) in resolved)
                {
                    if (!Directory.Exists(path) && !File.Exists(path))
                        problems.Add(new(yamlPath, line, $"'{key}': {path} does not exist (from '{text}', relative to path {root})"));
                    else if (File.Exists(path) && !IsImageList(path) && !ImageFileFormats.IsSupportedImage(path))
                        problems.Add(new(yamlPath, line, $"'{key}': {path} is neither a folder, a .txt image list nor a supported image"));
                }
                splits.Add(new SplitSource(key, Line(keyNode), resolved.Select(r => r.Path).ToList()));
            }
            if (splits.Count == 0 && problems.Count == 0)
                problems.Add(new(yamlPath, 0, "no image sources: expected train, val or test"));
        }
        if (problems.Count > 0) throw new DatasetValidationException(yamlPath, problems, maxProblemsInMessage);
        return new DataYamlFile(yamlPath, root!, names!, splits);
    }

    private static YamlMappingNode ParseMapping(string yamlPath)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = File.OpenText(yamlPath);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new DatasetValidationException(yamlPath, [new DatasetProblem(yamlPath, (int)e.Start.Line, $"invalid YAML: {e.Message}")]);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this (without a position) on some malformed input, e.g. an unclosed flow sequence
            throw new DatasetValidationException(yamlPath, [new DatasetProblem(yamlPath, 0, $"invalid YAML ({e.Message})")]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            throw new DatasetValidationException(yamlPath, [new DatasetProblem(yamlPath, 0, "expected a mapping with path, train, val, test, names")]);
        return mapping;
    }

    private static string? ResolveRoot(string yamlPath, YamlMappingNode mapping, List<DatasetProblem> problems)
    {
        string yamlDir = Path.GetDirectoryName(yamlPath)!;
        if (!TryGet(mapping, "path", out var node) || IsNull(node)) return yamlDir;
        if (node is not YamlScalarNode { Value: { } text })
        {
            problems.Add(new(yamlPath, Line(node), "'path' must be a folder path"));
            return null;
        }
        string root = Path.GetFullPath(Path.Combine(yamlDir, text));
        if (Directory.Exists(root)) return root;
        // Ultralytics' own yamls (path: ../datasets/coco8) are relative to the working directory: accepted as a fallback
        string fromWorkingDirectory = Path.GetFullPath(text);
        if (!Path.IsPathRooted(text) && Directory.Exists(fromWorkingDirectory)) return fromWorkingDirectory;
        string tried = Path.IsPathRooted(text) ? "" : $"; not in the working directory either: {fromWorkingDirectory}";
        problems.Add(new(yamlPath, Line(node), $"'path': folder {root} does not exist (from '{text}', relative to {yamlDir}{tried})"));
        return null;
    }

    private static List<string>? ReadNames(string yamlPath, YamlMappingNode mapping, List<DatasetProblem> problems)
    {
        int? nc = null;
        if (TryGet(mapping, "nc", out var ncNode) && !IsNull(ncNode))
        {
            if (ncNode is YamlScalarNode { Value: { } ncText } && int.TryParse(ncText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0)
                nc = n;
            else
                problems.Add(new(yamlPath, Line(ncNode), "'nc' must be a positive integer"));
        }
        List<string>? names = null;
        if (TryGet(mapping, "names", out var namesNode) && !IsNull(namesNode))
            names = ParseNames(yamlPath, namesNode, problems);
        else if (nc is { } count)
            names = Enumerable.Range(0, count).Select(i => $"class_{i}").ToList(); // as Ultralytics names them
        else
            problems.Add(new(yamlPath, 0, "'names' is missing (and no 'nc')"));

        if (names is not null && nc is { } expected && expected != names.Count)
            problems.Add(new(yamlPath, Line(ncNode!), $"'nc' is {expected} but 'names' has {names.Count} entries"));
        if (names is not null)
        {
            foreach (var group in names.Select((name, id) => (name, id)).GroupBy(x => x.name, StringComparer.Ordinal).Where(g => g.Count() > 1))
                problems.Add(new(yamlPath, Line(namesNode!), $"class name '{group.Key}' is used by ids {string.Join(", ", group.Select(x => x.id))}"));
        }
        return names;
    }

    private static List<string>? ParseNames(string yamlPath, YamlNode node, List<DatasetProblem> problems)
    {
        switch (node)
        {
            case YamlSequenceNode sequence:
                var list = new List<string>();
                foreach (var item in sequence.Children)
                {
                    if (item is YamlScalarNode { Value: { } name } && name.Length > 0) list.Add(name);
                    else problems.Add(new(yamlPath, Line(item), "each class name must be a non-empty text"));
                }
                return list;
            case YamlMappingNode map:
                var byId = new SortedDictionary<int, string>();
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: { } idText } || !int.TryParse(idText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id) || id < 0)
                        problems.Add(new(yamlPath, Line(key), "class ids in 'names' must be integers 0, 1, 2, ..."));
                    else if (value is not YamlScalarNode { Value: { Length: > 0 } name })
                        problems.Add(new(yamlPath, Line(value), $"class {id} needs a non-empty name"));
                    else if (!byId.TryAdd(id, name))
                        problems.Add(new(yamlPath, Line(key), $"class id {id} appears twice in 'names'"));
                }
                var missing = Enumerable.Range(0, byId.Count == 0 ? 0 : byId.Keys.Max() + 1).Where(i => !byId.ContainsKey(i)).ToList();
                if (missing.Count > 0)
                    problems.Add(new(yamlPath, Line(node), $"'names' has no entry for class id(s) {string.Join(", ", missing)}"));
                return byId.Values.ToList();
            default:
                problems.Add(new(yamlPath, Line(node), "'names' must be a list or a map from class id to name"));
                return null;
        }
    }

    private static List<(string Text, int Line)>? ReadEntries(YamlNode value)
    {
        if (value is YamlScalarNode { Value: { Length: > 0 } single }) return [(single, Line(value))];
        if (value is not YamlSequenceNode sequence || sequence.Children.Count == 0) return null;
        var entries = new List<(string, int)>();
        foreach (var item in sequence.Children)
        {
            if (item is not YamlScalarNode { Value: { Length: > 0 } text }) return null;
            entries.Add((text, Line(item)));
        }
        return entries;
    }

    private static string ResolveEntry(string root, string text)
    {
        string path = Path.GetFullPath(Path.Combine(root, text));
        if (!Path.Exists(path) && (text.StartsWith("../", StringComparison.Ordinal) || text.StartsWith(@"..\", StringComparison.Ordinal)))
        {
            string retry = Path.GetFullPath(Path.Combine(root, text[3..]));
            if (Path.Exists(retry)) return retry;
        }
        return path;
    }

    private static bool IsImageList(string path) => string.Equals(Path.GetExtension(path), ".txt", StringComparison.OrdinalIgnoreCase);

    // For keys other than train/val/test: an existing folder holding at least one image, or a .txt whose first entry is an image.
    private static bool LooksLikeImageSource(string path)
    {
        if (Directory.Exists(path))
        {
            // bounded: a key pointing at a huge folder without images must not stall loading
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
            return Directory.EnumerateFiles(path, "*", options).Take(10_000).Any(ImageFileFormats.IsSupportedImage);
        }
        if (!File.Exists(path) || !IsImageList(path)) return false;
        string? first = File.ReadLines(path).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return first is not null && (ImageFileFormats.IsSupportedImage(first) || ImageFileFormats.IsUnsupportedImage(first));
    }

    private static bool TryGet(YamlMappingNode mapping, string key, out YamlNode node)
    {
        if (mapping.Children.TryGetValue(new YamlScalarNode(key), out var found))
        {
            node = found;
            return true;
        }
        node = null!;
        return false;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static int Line(YamlNode node) => (int)node.Start.Line;
}
