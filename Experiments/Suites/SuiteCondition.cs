using DigitMl.Data.Scenes;

namespace DigitMl.Experiments.Suites;

/// <summary>Which digits a suite set is drawn with.</summary>
public enum SuiteDigits
{
    /// <summary>MNIST test-pool digits.</summary>
    MnistTest,

    /// <summary>Handwriting fonts (unseen writers), see <see cref="HandwritingFonts"/>.</summary>
    Fonts,
}

/// <summary>One set of the robustness suite: a name, what it tests, and the generator options that draw it (test split only).</summary>
public sealed record SuiteCondition(string Name, string Description, SceneOptions Options, SuiteDigits Digits = SuiteDigits.MnistTest);
