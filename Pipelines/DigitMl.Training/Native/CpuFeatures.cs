namespace DigitMl.Training.Native;

/// <summary>
/// What this CPU can compute fast, read at run time. Only Linux is inspected (<c>/proc/cpuinfo</c>); elsewhere
/// nothing is claimed, and training stays in float32.
/// </summary>
public static class CpuFeatures
{
    /// <summary>The flags that give bf16 matrix products in hardware: AVX-512 BF16 (dot products) or AMX (tile products).</summary>
    public static IReadOnlyList<string> BFloat16Flags { get; } = ["avx512_bf16", "amx_bf16"];

    private static readonly Lazy<bool> Detected = new(() => File.Exists("/proc/cpuinfo") && HasBFloat16(File.ReadAllText("/proc/cpuinfo")));

    /// <summary>True when every CPU the process may run on has bf16 instructions (the flag lines of /proc/cpuinfo).</summary>
    public static bool SupportsBFloat16 => Detected.Value;

    /// <summary>True when <paramref name="cpuinfo"/> (the text of /proc/cpuinfo) has flag lines and each of them names a bf16 flag.</summary>
    public static bool HasBFloat16(string cpuinfo)
    {
        ArgumentNullException.ThrowIfNull(cpuinfo);
        var flagLines = cpuinfo.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim() == "flags")
            .Select(parts => parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        return flagLines.Count > 0 && flagLines.All(flags => flags.Any(f => BFloat16Flags.Contains(f)));
    }
}
