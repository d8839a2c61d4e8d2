using System.Reflection;
using System.Text.Json;
using DigitMl.Experiments.Cli;
using DigitMl.Scoring;

namespace DigitMl.Tests.Packaging;

/// <summary>A .NET service takes the serving library alone: it must never pull TorchSharp or the training library.</summary>
public sealed class ServingDependencyTests
{
    private static readonly string[] Forbidden = ["TorchSharp", "libtorch", "DigitMl.Training"];

    [Test]
    public void ServingAssemblyReferencesNoTrainingAssembly()
    {
        var references = typeof(DigitDetector).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        Assert.That(references, Has.Some.EqualTo("Microsoft.ML.OnnxRuntime"), "sanity: the reference list is read");
        foreach (string name in Forbidden)
            Assert.That(references, Has.None.StartsWith(name), $"DigitMl references {name}");
    }

    [Test]
    public void ServingProjectRestoresNoTorchSharpPackage()
    {
        // project.assets.json lists every package the project resolves, transitive ones included.
        string assets = Path.Combine(RepositoryLayout.Root, "Pipelines", "DigitMl", "obj", "project.assets.json");
        Assert.That(File.Exists(assets), Is.True, $"{assets} (written by restore)");
        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(libraries, Has.Some.StartsWith("Microsoft.ML.OnnxRuntime/"), "sanity: the package list is read");
        foreach (string name in Forbidden)
            Assert.That(libraries, Has.None.StartsWith(name).IgnoreCase, $"DigitMl resolves a {name} package");
    }

    [Test]
    public void ServingAssemblyHasNoModuleInitializerThatHooksNativeLoading()
    {
        // The TorchSharp loader hooks native library resolution for the whole process; only the training library may.
        var types = typeof(DigitDetector).Assembly.GetTypes();
        var initializers = types.SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(m => m.GetCustomAttribute<System.Runtime.CompilerServices.ModuleInitializerAttribute>() is not null)
            .Select(m => $"{m.DeclaringType}.{m.Name}");
        Assert.That(initializers, Is.Empty);
    }
}
