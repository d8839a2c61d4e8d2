using System.Diagnostics;
using System.Reflection;
using DigitMl.Scoring;
using DigitMl.Training.Augmentation;

namespace DigitMl.Tests.Packaging;

/// <summary>
/// The README's commands (`dotnet run --project Experiments -- sweep`, the tests) build Debug; the libraries' per-pixel
/// loops (scenes, letterbox, the training batch's warp and HSV) must still run as optimised JIT code.
/// </summary>
public sealed class OptimisedLibrariesTests
{
    [TestCase(typeof(DigitDetector), TestName = "TheServingLibraryIsOptimisedInEveryConfiguration")]
    [TestCase(typeof(CanvasWarp), TestName = "TheTrainingLibraryIsOptimisedInEveryConfiguration")]
    public void TheLibraryIsBuiltForTheOptimisingJit(Type type)
    {
        var debuggable = type.Assembly.GetCustomAttribute<DebuggableAttribute>();
        Assert.That(debuggable?.IsJITOptimizerDisabled ?? false, Is.False, $"{type.Assembly.GetName().Name} disables the JIT's optimiser (<Optimize>true</Optimize> in its project)");
    }
}
