using DigitMl.Experiments.Definitions;

namespace DigitMl.Tests.Experiments;

public sealed class ExperimentDefinitionTests
{
    [Test]
    public void TheEmbeddedDigitsExperimentLoadsAndPlansHalvingTrials()
    {
        var digits = ExperimentYaml.LoadEmbedded();
        var plan = digits.Plan();

        Assert.That(digits.Name, Is.EqualTo("digits"));
        Assert.That(digits.Data, Is.EqualTo(ExperimentDefinition.DefaultData));
        Assert.That(digits.Strategy.Kind, Is.EqualTo(SearchStrategyKind.SuccessiveHalving));
        Assert.That(plan, Has.Count.EqualTo(3));
        Assert.That(plan.Select(p => p.Settings.Trainer.Scale.Name).Distinct(), Is.EqualTo(new[] { "n" }));
        Assert.That(plan.Select(p => p.Description).Distinct().Count(), Is.EqualTo(3), "no combination twice");
        Assert.That(digits.Plan().Select(p => p.Description), Is.EqualTo(plan.Select(p => p.Description)), "the same seed gives the same plan");
        // the seed project's two ideas are in every trial of the main job: rotation and transfer learning
        Assert.That(plan.Select(p => p.Settings.Rotate).Distinct(), Is.EqualTo(new[] { "90,180,270" }));
        Assert.That(plan.Select(p => p.Settings.Resolved().Trainer.Orientations).Distinct(), Is.EqualTo(new[] { 4 }), "turn-aware classes");
        Assert.That(plan.Select(p => p.Settings.Trainer.Init).Distinct(), Is.EqualTo(new[] { "pretrained" }));
    }

    [Test]
    public void ThePretrainingExperimentOfTheShippedWeightsLoadsWithItsTrainPoolOnlyData()
    {
        string definitions = Path.Combine(DigitMl.Experiments.Cli.RepositoryLayout.Root, "Experiments", "Definitions");
        var pretrain = ExperimentYaml.LoadFile(Path.Combine(definitions, "pretrain.yaml"));
        var trial = pretrain.Plan().Single().Settings.Resolved();

        Assert.That(pretrain.Name, Is.EqualTo("pretrain"));
        Assert.That(pretrain.Data, Is.EqualTo(Path.GetFullPath(Path.Combine(definitions, "pretrain-data.yaml"))));
        Assert.That((trial.Trainer.Scale.Name, trial.Trainer.ImageSize, trial.Rotate, trial.Trainer.Orientations), Is.EqualTo(("n", 160, "90,180,270", 4)));
        string data = File.ReadAllText(pretrain.Data!);
        Assert.That(data, Does.Contain("train: train-scenes/images/train").And.Contain("val: val-scenes/images/train"),
            "train and val both come from generated train splits (MNIST train-pool digits only)");
    }

    [Test]
    public void YamlSetsFixedValuesSearchSpaceStrategyAndBudget()
    {
        const string yaml = """
            name: mine
            data: sets/data.yaml
            rank: map50-95
            strategy: {type: random, trials: 2, seed: 7}
            budget: {max_trials: 5, minutes: 1.5}
            fixed: {scale: tiny, imgsz: 64, rotate: [270, 90], init: "experiment:digits", train_images: 10}
            search:
              lr0: [0.01, 0.02, 0.03]
              rotate_policy: [keep, drop]
            """;
        var definition = ExperimentYaml.Parse(yaml, "mine.yaml");
        var plan = definition.Plan();

        Assert.That(definition.RankBy, Is.EqualTo("map50_95"));
        Assert.That(definition.Fixed.Rotate, Is.EqualTo("90,270"));
        Assert.That(definition.Fixed.Trainer.Init, Is.EqualTo("experiment:digits"));
        Assert.That(definition.Fixed.TrainImages, Is.EqualTo(10));
        Assert.That(definition.Budget, Is.EqualTo(new ExperimentBudget(5, TimeSpan.FromMinutes(1.5))));
        Assert.That(definition.Space.Size, Is.EqualTo(6));
        Assert.That(plan, Has.Count.EqualTo(2));
        Assert.That(plan.All(p => p.Settings.Trainer.ImageSize == 64 && p.Settings.Trainer.Scale.Name == "tiny"), Is.True);
    }

    [Test]
    public void GridPlansEveryCombinationUpToTheTrialCap()
    {
        var definition = ExperimentDefinition.Create("g").Search("lr0", 0.01, 0.02).Search("mosaic", 0, 1);

        Assert.That(definition.Plan().Select(p => p.Description),
            Is.EqualTo(new[] { "lr0=0.01 mosaic=0", "lr0=0.01 mosaic=1", "lr0=0.02 mosaic=0", "lr0=0.02 mosaic=1" }));
        Assert.That(definition.Plan(maxTrials: 3), Has.Count.EqualTo(3));
        Assert.That(ExperimentDefinition.Create("single").Plan().Single().Description, Is.EqualTo("(fixed settings)"));
    }

    [TestCase("name: x\nfixed:\n  imgsz: 100\n", "x.yaml:3: '100' is not a valid value for 'imgsz': must be a multiple of 32")]
    [TestCase("name: x\nfixed:\n  colour: red\n", "x.yaml:3: unknown hyperparameter 'colour'")]
    [TestCase("name: x\nsearch:\n  lr0: 0.1\n", "x.yaml:3: search values of 'lr0' must be a non-empty list")]
    [TestCase("name: x\nstrategy: bayes\n", "x.yaml:2: unknown strategy 'bayes'")]
    [TestCase("name: x\nbudjet: {}\n", "x.yaml:2: unknown key 'budjet'")]
    [TestCase("data: d.yaml\n", "x.yaml:1: missing 'name'")]
    [TestCase("name: x\nfixed: [1, 2\n", "x.yaml:")]
    public void BadDefinitionsNameFileAndLine(string yaml, string expectedStart)
    {
        Assert.That(() => ExperimentYaml.Parse(yaml, "x.yaml"),
            Throws.TypeOf<ExperimentDefinitionException>().With.Message.StartsWith(expectedStart));
    }

    [Test]
    public void SearchingTheLearningRateWithTheAutoOptimizerIsFlagged()
    {
        var auto = ExperimentDefinition.Create("w").Search("lr0", 0.01, 0.02);
        var sgd = auto.Fix("optimizer", "SGD");

        Assert.That(auto.Warnings(), Has.One.Contains("ignore lr0"));
        Assert.That(sgd.Warnings(), Has.None.Contains("ignore lr0"));
        Assert.That(ExperimentYaml.LoadEmbedded().Warnings(), Is.Empty, "the default experiment is clean");
    }

    [Test]
    public void HalvingStopsTrialsOutsideTheTopFractionAtRungsOnly()
    {
        var rule = new SuccessiveHalvingRule(minEpochs: 2, eta: 2);

        Assert.That(rule.IsRung(2, 10) && rule.IsRung(4, 10) && rule.IsRung(8, 10), Is.True);
        Assert.That(rule.IsRung(3, 10) || rule.IsRung(10, 10), Is.False);
        Assert.That(rule.ShouldStop(2, 10, 0.1, [0.3]), Is.True);
        Assert.That(rule.ShouldStop(2, 10, 0.4, [0.3]), Is.False);
        Assert.That(rule.ShouldStop(3, 10, 0.1, [0.3]), Is.False, "not a rung");
        Assert.That(rule.ShouldStop(2, 10, 0.2, [0.3, 0.1]), Is.False, "second of three is within ceil(3/2)");
        Assert.That(rule.ShouldStop(2, 10, 0.0, []), Is.False, "the first trial sets the bar");
    }
}
