using System.Runtime.InteropServices;

namespace DigitMl.Experiments.Artifacts;

/// <summary>What a trial ran on: enough to explain a timing, nothing that identifies a person.</summary>
public sealed record MachineInfo(int Cores, string Os, string Architecture, double MemoryGiB, string Runtime)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.OSArchitecture.ToString(),
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        RuntimeInformation.FrameworkDescription);
}
