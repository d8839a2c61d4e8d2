using DigitMl.Data;
using DigitMl.Experiments.Definitions;
using DigitMl.Experiments.Sweeps;
using DigitMl.Modeling;
using DigitMl.Tests.TestData;
using DigitMl.Training;
using DigitMl.Training.Settings;

namespace DigitMl.Tests.Experiments;

/// <summary>
/// A setting accepted at the door (experiment YAML, --set, config.json) works in the trainer, and one the trainer
/// would refuse is refused at the door with the allowed values: both read the one settings table.
/// </summary>
public sealed class SettingsTableTests
{
    private static readonly TrialSettings Defaults = new();

    private static IEnumerable<TestCaseData> EveryAllowedValue()
    {
        foreach (var setting in HyperParameters.All)
            foreach (var value in AllowedValues(setting))
                yield return new TestCaseData(setting.Key, Setting.FormatValue(value)).SetName($"{setting.Key} = {Setting.FormatValue(value)}");
    }

    [TestCaseSource(nameof(EveryAllowedValue))]
    public void EveryAllowedValueReachesTheTrainerOptionsAndPassesTheirValidation(string key, string text)
    {
        var setting = HyperParameters.Get(key);
        var settings = setting.With(Defaults, setting.Parse(text)).Resolved();
        var request = new TrialRequest("e", "t01", settings, settings.Trainer.Init, new PreparedDataset(null!, false, null), "/tmp/x", false);
        var options = YoloTrialExecutor.TrainerOptions(settings, request);

        Assert.That(() => options.ThrowIfInvalid(), Throws.Nothing);
        Assert.That(setting.Format(setting.Get(settings)), Is.EqualTo(setting.Format(setting.Parse(text))), "the value lands where the setting reads it back");
        if (TrainerSettings.TryGet(key, out var trainerSetting))
            Assert.That(trainerSetting.Format(trainerSetting.Get(options)), Is.EqualTo(text), "the trainer receives the value");
    }

    private static IEnumerable<TestCaseData> RefusedValues()
    {
        foreach (var setting in HyperParameters.All)
        {
            switch (setting.Kind)
            {
                case SettingKind.Choice:
                    yield return new TestCaseData(setting.Key, "Adamax-or-other").SetName($"{setting.Key} refuses an unknown choice");
                    break;
                case SettingKind.Integer or SettingKind.Number when setting.Max is { } max:
                    yield return new TestCaseData(setting.Key, Setting.FormatValue(setting.Kind == SettingKind.Integer ? (object)((long)max + 1) : max * 2 + 1))
                        .SetName($"{setting.Key} refuses a value above its range");
                    break;
                case SettingKind.Boolean:
                    yield return new TestCaseData(setting.Key, "maybe").SetName($"{setting.Key} refuses a non-boolean");
                    break;
            }
        }
    }

    [TestCaseSource(nameof(RefusedValues))]
    public void AValueOutsideTheTableIsRefusedAtTheDoorWithTheAllowedValues(string key, string text)
    {
        var setting = HyperParameters.Get(key);
        var error = Assert.Throws<FormatException>(() => setting.Parse(text));
        Assert.That(error!.Message, Does.Contain(key).And.Contain("allowed: " + setting.Range));
    }

    [TestCase("SGD")]
    [TestCase("Adam")]
    [TestCase("AdamW")]
    [TestCase("auto")]
    public void EveryOptimizerTheTableOffersTrains(string optimizer)
    {
        // the old door accepted Adam and the trainer refused it
        var dataset = YoloDataset.Load(TinyScenes.Create(4, 2, 1, imgsz: 64, seed: 2));
        var settings = HyperParameters.Get("optimizer").With(Defaults, HyperParameters.Get("optimizer").Parse(optimizer));
        var options = settings.Trainer with
        {
            Scale = YoloV8Scale.Tiny,
            ImageSize = 64,
            Epochs = 1,
            BatchSize = 2,
            Workers = 0,
            OutputDirectory = TinyScenes.NewTempDirectory($"opt-{optimizer}"),
        };
        var result = TrainingLoop.Run(options, dataset.Split("train"), dataset.Split("val"), dataset.Names);
        Assert.That(result.EpochsRun, Is.EqualTo(1));
        Assert.That(float.IsFinite(result.History[0].TrainBoxLoss), Is.True);
    }

    [Test]
    public void TheDefaultsAreTheTrainersOwn()
    {
        var trainer = new YoloV8TrainerOptions();
        foreach (var setting in TrainerSettings.All.Where(s => s.Key != "orientations"))
        {
            var lifted = HyperParameters.Get(setting.Key);
            Assert.That(lifted.Format(lifted.Get(Defaults)), Is.EqualTo(setting.Format(setting.Get(trainer))), setting.Key);
        }
        Assert.That(trainer.Epochs, Is.EqualTo(10), "one default for epochs everywhere");
    }

    [Test]
    public void TurnAwareRotationTrainsWithFourOrientations()
    {
        var settings = HyperParameters.Apply(Defaults, [new("rotate", "90,180,270"), new("rotate_policy", "turns")]).Resolved();
        Assert.That(settings.Trainer.Orientations, Is.EqualTo(4));
        Assert.That(HyperParameters.Apply(Defaults, [new("rotate_policy", "turns")]).Resolved().Trainer.Orientations, Is.EqualTo(1), "no rotation, no turns");
        Assert.That(HyperParameters.TryGet("orientations", out _), Is.False, "derived, not set by hand in experiments");
    }

    private static IEnumerable<object?> AllowedValues(Setting<TrialSettings> setting)
    {
        var values = new List<object?> { setting.Get(Defaults) };
        switch (setting.Kind)
        {
            case SettingKind.Choice:
                values.AddRange(setting.Choices);
                break;
            case SettingKind.Boolean:
                values.AddRange([true, false]);
                break;
            case SettingKind.Integer:
                values.Add((int)setting.Min!.Value);
                values.Add(setting.MultipleOf > 1 ? (int)(Math.Floor(setting.Max!.Value / setting.MultipleOf) * setting.MultipleOf) : (int)setting.Max!.Value);
                break;
            case SettingKind.Number:
                values.Add(setting.Min!.Value);
                values.Add(setting.Max!.Value);
                break;
            case SettingKind.Text when setting.Key == "rotate":
                values.Add("90,180,270");
                break;
        }
        if (setting.Optional) values.Add(null);
        return values.Distinct();
    }
}
