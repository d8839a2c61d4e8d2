using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Tests.Foundation;

public sealed class TorchSharpLoadsTests
{
    [Test]
    public void SmallModuleTrainsAndLossGoesDown()
    {
        manual_seed(1);
        using var model = nn.Sequential(
            ("conv", nn.Conv2d(1, 4, 3, padding: 1)),
            ("act", nn.SiLU()),
            ("flat", nn.Flatten()),
            ("fc", nn.Linear(4 * 8 * 8, 1)));
        using var optimizer = optim.SGD(model.parameters(), 0.05, momentum: 0.9);
        using var x = randn(16, 1, 8, 8);
        using var y = x.mean([1, 2, 3]).unsqueeze(1) * 3;

        float first = 0, last = 0;
        for (int step = 0; step < 30; step++)
        {
            optimizer.zero_grad();
            using var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }

        Assert.That(last, Is.LessThan(first * 0.5f), $"loss went from {first} to {last}");
    }

    [Test]
    public void ElfPatcherFindsTheOnlyMarkerSymbolBehindGlibcxx3432()
    {
        string library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assume.That(File.Exists(library), "linux-x64 build only");
        byte[] elf = File.ReadAllBytes(library);
        var needs = DigitMl.Training.Native.ElfVersionNeedPatcher.ReadVersionNeeds(elf);
        var need = needs.Single(n => n.Version == "GLIBCXX_3.4.32");
        var symbols = DigitMl.Training.Native.ElfVersionNeedPatcher.SymbolsAtVersion(elf, need.Index);
        Assert.That(symbols, Is.EquivalentTo(new[] { "_ZSt21ios_base_library_initv" }));
        DigitMl.Training.Native.ElfVersionNeedPatcher.MarkWeak(elf, need);
        var patched = DigitMl.Training.Native.ElfVersionNeedPatcher.ReadVersionNeeds(elf).Single(n => n.Version == "GLIBCXX_3.4.32");
        Assert.That(patched.IsWeak, Is.True);
    }
}
