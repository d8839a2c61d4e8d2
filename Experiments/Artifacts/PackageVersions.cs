using System.Reflection;
using System.Runtime.InteropServices;

namespace DigitMl.Experiments.Artifacts;

/// <summary>Versions of the libraries that shape a trained model, read from the loaded assemblies.</summary>
public static class PackageVersions
{
    public static IReadOnlyDictionary<string, string> Collect()
    {
        var anchors = new (string Name, Type Type)[]
        {
            ("TorchSharp", typeof(TorchSharp.torch)),
            ("Microsoft.ML", typeof(Microsoft.ML.MLContext)),
            ("Microsoft.ML.OnnxRuntime", typeof(Microsoft.ML.OnnxRuntime.InferenceSession)),
            ("Microsoft.ML.OnnxTransformer", typeof(Microsoft.ML.Transforms.Onnx.OnnxTransformer)),
            ("Microsoft.Data.Analysis", typeof(Microsoft.Data.Analysis.DataFrame)),
            ("SkiaSharp", typeof(SkiaSharp.SKBitmap)),
            ("YamlDotNet", typeof(YamlDotNet.Serialization.Deserializer)),
            ("Spectre.Console", typeof(Spectre.Console.AnsiConsole)),
            ("DigitMl", typeof(DigitMl.Data.YoloSample)),
            ("DigitMl.Training", typeof(DigitMl.Training.YoloV8Trainer)),
        };
        var versions = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [".NET"] = RuntimeInformation.FrameworkDescription,
        };
        foreach (var (name, type) in anchors)
            versions[name] = VersionOf(type.Assembly);
        return versions;
    }

    private static string VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational)) return assembly.GetName().Version?.ToString() ?? "unknown";
        // "1.2.3+commitsha": the package version is the part before the build metadata
        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? informational[..plus] : informational;
    }
}
