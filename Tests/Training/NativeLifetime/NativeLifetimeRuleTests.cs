using DigitMl.Experiments.Cli;

namespace DigitMl.Tests.Training.NativeLifetime;

/// <summary>
/// The rule of docs/training.md ("native objects"), checked on the source: no code of the training library makes a
/// TorchSharp Scalar or Tensor that nothing holds while libtorch reads it. Every finding names the file and line.
/// </summary>
public sealed class NativeLifetimeRuleTests
{
    private static readonly Lazy<TorchSharpTemporaries> TorchSharp = new(() =>
        TorchSharpTemporaries.Read(typeof(TorchSharp.torch).Assembly.Location));

    private static string TrainingSources => Path.Combine(RepositoryLayout.Root, "Pipelines", "DigitMl.Training");

    [Test]
    public void TheIlReaderFindsTheKnownTemporaries()
    {
        var temporaries = TorchSharp.Value;
        Assert.That(temporaries.MethodCount, Is.GreaterThan(10_000), "TorchSharp's method bodies were read");
        const string tensor = "TorchSharp.torch+Tensor";
        // Tensor.add(Tensor) passes a default alpha = 1 made from an int; add(Tensor, Scalar) makes nothing itself.
        Assert.That(temporaries.IsUnsafe(TorchSharpTemporaries.Key(tensor, "add", ["Tensor"]), false), Is.True);
        Assert.That(temporaries.IsUnsafe(TorchSharpTemporaries.Key(tensor, "op_Addition", ["Tensor", "Tensor"]), false), Is.True);
        Assert.That(temporaries.IsUnsafe(TorchSharpTemporaries.Key(tensor, "add", ["Tensor", "Scalar"]), false), Is.False);
        Assert.That(temporaries.IsUnsafe(TorchSharpTemporaries.Key(tensor, "mul", ["Tensor"]), false), Is.False);
        // BatchNorm.forward runs num_batches_tracked.add_(1); SGD.step runs param.add_(grad, -lr).
        Assert.That(temporaries.IsUnsafe(TorchSharpTemporaries.Key("TorchSharp.Modules.BatchNorm", "forward", ["Tensor"]), false), Is.True);
        Assert.That(temporaries.IsUnsafe(TorchSharpTemporaries.Key("TorchSharp.Modules.SGD", "step", ["Func`1"]), false), Is.True);
        // ... so a call through the base optimizer's virtual step is unsafe too.
        Assert.That(temporaries.IsUnsafe(TorchSharpTemporaries.Key("TorchSharp.torch+optim+Optimizer", "step", ["Func`1"]), true), Is.True);
    }

    [Test]
    public void TheScannerFlagsEachKindOfTemporary()
    {
        string file = Path.Combine(TinyScenesFolder(), "Sample.cs");
        File.WriteAllText(file, """
            using TorchSharp;
            using static TorchSharp.torch;
            public static class Sample
            {
                public static Tensor Unsafe(Tensor a, Tensor b) => (a + b).mul(2.0);
                public static Tensor Safe(Tensor a, Tensor b, Scalar one, Scalar two) => a.add(b, one).mul(two);
            }
            """);
        var findings = HotPathScanner.Scan([file], Path.GetDirectoryName(file)!, TorchSharp.Value, []);
        TestContext.Out.WriteLine(string.Join("\n", findings));
        Assert.That(findings.Select(f => f.Line), Is.EqualTo(new[] { 5, 5 }), "the + operator and the implicit double -> Scalar on line 5, nothing on line 6");
    }

    [Test]
    public void TrainingLibraryMakesNoUnheldNativeTemporaries()
    {
        var files = Directory.EnumerateFiles(TrainingSources, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        string[] globalUsings =
        [
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
            "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;",
        ];
        var findings = HotPathScanner.Scan(files, RepositoryLayout.Root, TorchSharp.Value, globalUsings);
        Assert.That(findings, Is.Empty, () => $"{findings.Count} places make unheld native temporaries (docs/training.md, 'Native objects'):\n" + string.Join("\n", findings));
    }

    private static string TinyScenesFolder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "digitml-scan-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
