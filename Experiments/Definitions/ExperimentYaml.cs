using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DigitMl.Experiments.Definitions;

/// <summary>
/// Reads experiment definitions from YAML:
/// <code>
/// name: digits
/// data: default                 # or a path to a data.yaml (relative to this file)
/// rank: fitness                 # fitness | map50 | map50_95 | precision | recall | f1
/// strategy: {type: halving, trials: 3, seed: 1, min_epochs: 2, eta: 2}   # grid | random | halving
/// budget: {max_trials: 3, minutes: 15}
/// fixed: {scale: n, imgsz: 160, epochs: 8}
/// search: {lr0: [0.01, 0.02], rotate: [none, "90,180,270"]}
/// </code>
/// Every problem is reported as "file:line: what is wrong".
/// </summary>
public static class ExperimentYaml
{
    public const string EmbeddedDigits = "digits";

    private static readonly string[] TopLevelKeys = ["name", "description", "data", "rank", "strategy", "budget", "fixed", "search"];

    public static ExperimentDefinition LoadFile(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"experiment file {full} does not exist", full);
        var definition = Parse(File.ReadAllText(full), full);
        if (definition.Data is { } data && data != ExperimentDefinition.DefaultData && !Path.IsPathRooted(data))
            definition = definition with { Data = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, data)) };
        return definition;
    }

    /// <summary>The embedded default experiment (Experiments/Definitions/digits.yaml compiled into the CLI).</summary>
    public static ExperimentDefinition LoadEmbedded(string name = EmbeddedDigits)
    {
        var resource = $"DigitMl.Experiments.Definitions.{name}.yaml";
        using var stream = typeof(ExperimentYaml).Assembly.GetManifestResourceStream(resource)
                           ?? throw new ExperimentDefinitionException($"no embedded experiment '{name}' (resource {resource})");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), $"embedded:{name}.yaml");
    }

    public static ExperimentDefinition Parse(string yaml, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ExperimentDefinitionException($"{sourceName}:{e.Start.Line}: invalid YAML: {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ExperimentDefinitionException($"{sourceName}:1: expected a mapping with at least 'name'");

        var reader = new NodeReader(sourceName);
        foreach (var key in root.Children.Keys)
            if (!TopLevelKeys.Contains(reader.Text(key)))
                throw reader.Error(key, $"unknown key '{reader.Text(key)}'; expected one of {string.Join(", ", TopLevelKeys)}");

        var nameNode = reader.Child(root, "name") ?? throw reader.Error(root, "missing 'name'");
        ExperimentDefinition definition;
        try
        {
            definition = ExperimentDefinition.Create(reader.Text(nameNode)) with { Source = sourceName };
        }
        catch (ArgumentException e)
        {
            throw reader.Error(nameNode, e.Message);
        }

        if (reader.Child(root, "data") is { } data) definition = definition with { Data = reader.Text(data) };
        if (reader.Child(root, "rank") is { } rank)
            definition = reader.Guard(rank, () => definition.RankedBy(reader.Text(rank)));
        if (reader.Child(root, "fixed") is { } fixedNode)
            definition = definition with { Fixed = ReadFixed(reader, reader.Mapping(fixedNode), definition.Fixed) };
        if (reader.Child(root, "search") is { } searchNode)
            definition = definition with { Space = ReadSpace(reader, reader.Mapping(searchNode)) };
        if (reader.Child(root, "strategy") is { } strategyNode)
            definition = definition with { Strategy = ReadStrategy(reader, strategyNode) };
        if (reader.Child(root, "budget") is { } budgetNode)
            definition = definition with { Budget = ReadBudget(reader, reader.Mapping(budgetNode)) };
        return definition;
    }

    private static TrialSettings ReadFixed(NodeReader reader, YamlMappingNode mapping, TrialSettings settings)
    {
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var parameter = reader.Parameter(keyNode);
            var value = reader.Guard(valueNode, () => parameter.Parse(reader.ValueText(valueNode)));
            settings = parameter.With(settings, value);
        }

        return settings;
    }

    private static SearchSpace ReadSpace(NodeReader reader, YamlMappingNode mapping)
    {
        var space = new SearchSpace();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var parameter = reader.Parameter(keyNode);
            if (valueNode is not YamlSequenceNode values || values.Children.Count == 0)
                throw reader.Error(valueNode, $"search values of '{parameter.Key}' must be a non-empty list, e.g. [0.01, 0.02]");
            var texts = values.Children.Select(v => reader.Guard(v, () => { var t = reader.ValueText(v); parameter.Parse(t); return t; })).ToList();
            reader.Guard(keyNode, () => space.Add(parameter.Key, texts));
        }

        return space;
    }

    private static SearchStrategy ReadStrategy(NodeReader reader, YamlNode node)
    {
        var mapping = node as YamlMappingNode;
        var typeNode = mapping is null ? node : reader.Child(mapping, "type") ?? throw reader.Error(node, "strategy needs a 'type': grid, random or halving");
        var kind = reader.Text(typeNode).ToLowerInvariant() switch
        {
            "grid" => SearchStrategyKind.Grid,
            "random" => SearchStrategyKind.Random,
            "halving" or "successive_halving" or "successive-halving" => SearchStrategyKind.SuccessiveHalving,
            var other => throw reader.Error(typeNode, $"unknown strategy '{other}'; use grid, random or halving"),
        };
        if (mapping is not null)
            foreach (var key in mapping.Children.Keys)
                if (reader.Text(key) is not ("type" or "trials" or "seed" or "min_epochs" or "eta"))
                    throw reader.Error(key, $"unknown strategy key '{reader.Text(key)}'; expected type, trials, seed, min_epochs, eta");
        int? Int(string key, int min) => mapping is not null && reader.Child(mapping, key) is { } n ? reader.Integer(n, min) : null;
        return new SearchStrategy(kind, Int("trials", 1), Int("seed", 0) ?? 0, Int("min_epochs", 1) ?? 1, Int("eta", 2) ?? 2);
    }

    private static ExperimentBudget ReadBudget(NodeReader reader, YamlMappingNode mapping)
    {
        int? maxTrials = null;
        TimeSpan? maxTime = null;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            switch (reader.Text(keyNode))
            {
                case "max_trials" or "trials":
                    maxTrials = reader.Integer(valueNode, 1);
                    break;
                case "minutes" or "max_minutes":
                    maxTime = TimeSpan.FromMinutes(reader.Number(valueNode, 0.01));
                    break;
                default:
                    throw reader.Error(keyNode, $"unknown budget key '{reader.Text(keyNode)}'; expected max_trials, minutes");
            }
        }

        return new ExperimentBudget(maxTrials, maxTime);
    }

    /// <summary>Node helpers that turn every problem into "file:line: message".</summary>
    private sealed class NodeReader(string source)
    {
        public ExperimentDefinitionException Error(YamlNode node, string message) =>
            new($"{source}:{node.Start.Line}: {message}");

        public T Guard<T>(YamlNode node, Func<T> action)
        {
            try
            {
                return action();
            }
            catch (Exception e) when (e is FormatException or ArgumentException or KeyNotFoundException)
            {
                throw Error(node, e.Message);
            }
        }

        public YamlNode? Child(YamlMappingNode mapping, string key) =>
            mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        public YamlMappingNode Mapping(YamlNode node) =>
            node as YamlMappingNode ?? throw Error(node, "expected a mapping (key: value lines)");

        public string Text(YamlNode node) =>
            node is YamlScalarNode scalar ? scalar.Value ?? "" : throw Error(node, "expected a single value");

        /// <summary>A scalar as is; a sequence of scalars joined by commas (rotate: [90, 180]).</summary>
        public string ValueText(YamlNode node) => node switch
        {
            YamlScalarNode scalar => scalar.Value ?? "",
            YamlSequenceNode sequence => string.Join(',', sequence.Children.Select(Text)),
            _ => throw Error(node, "expected a value or a list of values"),
        };

        public HyperParameter Parameter(YamlNode keyNode) => Guard(keyNode, () => HyperParameters.Get(Text(keyNode)));

        public int Integer(YamlNode node, int min) => Guard(node, () =>
        {
            var value = int.Parse(Text(node), NumberStyles.Integer, CultureInfo.InvariantCulture);
            return value >= min ? value : throw new ArgumentException($"must be at least {min}");
        });

        public double Number(YamlNode node, double min) => Guard(node, () =>
        {
            var value = double.Parse(Text(node), NumberStyles.Float, CultureInfo.InvariantCulture);
            return value >= min ? value : throw new ArgumentException($"must be at least {min}");
        });
    }
}
