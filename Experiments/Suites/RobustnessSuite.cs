using System.Diagnostics;
using DigitMl.Data;
using DigitMl.Data.Mnist;
using DigitMl.Data.Scenes;
using DigitMl.Evaluation;

namespace DigitMl.Experiments.Suites;

/// <summary>Runs a model on every set of a suite. The model comes in as a predictor, so any inference mode can be measured.</summary>
public sealed class RobustnessSuite(string datasetsDir, string mnistDir)
{
    /// <summary>What the suite is doing now: preparing (generating, or finding up to date) or scoring a set (index of count).</summary>
    public readonly record struct Progress(string Condition, string Phase, int Index, int Count);

    /// <summary>The cache folder of a set: generated on first use, regenerated when its options, generator or digits change.</summary>
    public string SetDirectory(SuiteCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Path.Combine(datasetsDir, condition.Name);
    }

    /// <summary>Generates (or finds up to date) every set and returns their data.yaml paths, in order.</summary>
    public IReadOnlyList<string> Prepare(IReadOnlyList<SuiteCondition> conditions, IProgress<Progress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var mnist = new Lazy<MnistDigitSource>(() => new MnistDigitSource(MnistDigits.Load(mnistDir)));
        FontDigitSource? fonts = null;
        try
        {
            if (conditions.Any(c => c.Digits == SuiteDigits.Fonts)) fonts = new FontDigitSource(HandwritingFonts.Require());
            var yamls = new List<string>(conditions.Count);
            for (int i = 0; i < conditions.Count; i++)
            {
                var condition = conditions[i];
                progress?.Report(new Progress(condition.Name, "preparing", i, conditions.Count));
                IDigitSource source = condition.Digits == SuiteDigits.Fonts ? fonts! : mnist.Value;
                yamls.Add(DigitScenes.Ensure(source, SetDirectory(condition), condition.Options, null, cancellationToken).DataYamlPath);
            }
            return yamls;
        }
        finally
        {
            fonts?.Dispose();
        }
    }

    public SuiteResult Run(string modelName, Func<IReadOnlyList<YoloSample>, IReadOnlyList<IReadOnlyList<Detection>>> predictor, IReadOnlyList<SuiteCondition> conditions,
        IProgress<Progress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        var yamls = Prepare(conditions, progress, cancellationToken);
        var rows = new List<SuiteRow>(conditions.Count);
        for (int i = 0; i < conditions.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new Progress(conditions[i].Name, "scoring", i, conditions.Count));
            var clock = Stopwatch.StartNew();
            var dataset = YoloDataset.Load(yamls[i], new YoloDatasetOptions { Splits = ["test"] });
            var samples = dataset.Split("test");
            var predictions = predictor(samples);
            var metrics = DetectionEvaluator.Evaluate(samples.Select(s => s.Objects).ToArray(), predictions, dataset.Names);
            rows.Add(SuiteRow.From(conditions[i], metrics, clock.Elapsed.TotalSeconds));
        }
        return new SuiteResult(RobustnessConditions.SuiteName, modelName, SceneGenerator.Version, rows);
    }
}
