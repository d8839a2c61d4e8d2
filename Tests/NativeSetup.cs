using DigitMl.Training.Native;

namespace DigitMl.Tests;

/// <summary>Runs once before any test: the same native-library hook every entry point installs.</summary>
[SetUpFixture]
public sealed class NativeSetup
{
    [OneTimeSetUp]
    public void RegisterTorchSharpLoader() => TorchSharpNativeLoader.Register();
}
