using System.Globalization;

namespace DigitMl.Training.Native;

/// <summary>
/// How many cores this process may use: the CPUs of its affinity mask (<c>Cpus_allowed_list</c> in
/// /proc/self/status), capped by a cgroup CPU quota (v2 <c>cpu.max</c>, v1 <c>cpu.cfs_quota_us</c> /
/// <c>cpu.cfs_period_us</c>), rounded down to whole cores (a thread pool one thread larger than the quota is
/// throttled, and its threads then wait for each other). Elsewhere: <see cref="Environment.ProcessorCount"/>.
/// </summary>
public static class CpuBudget
{
    private static readonly Lazy<int> Detected = new(Detect);

    /// <summary>Cores this process may use (at least 1).</summary>
    public static int AvailableCores => Detected.Value;

    private static int Detect()
    {
        if (!OperatingSystem.IsLinux()) return Math.Max(1, Environment.ProcessorCount);
        int? affinity = TryRead("/proc/self/status") is { } status ? AffinityCount(status) : null;
        double? quota = CgroupQuota();
        return Combine(affinity ?? Environment.ProcessorCount, quota);
    }

    /// <summary>Affinity cores capped by a quota in cores (null: none), at least 1.</summary>
    public static int Combine(int affinityCores, double? quotaCores)
    {
        int cores = Math.Max(1, affinityCores);
        if (quotaCores is { } quota && quota > 0) cores = Math.Min(cores, Math.Max(1, (int)Math.Floor(quota + 1e-9)));
        return cores;
    }

    /// <summary>CPUs in the <c>Cpus_allowed_list</c> line of /proc/self/status ("0-3,8,10-11" is 7), or null when absent.</summary>
    public static int? AffinityCount(string procStatus) => AffinityCpus(procStatus) is { Count: > 0 } cpus ? cpus.Count : null;

    /// <summary>The CPU numbers of the <c>Cpus_allowed_list</c> line of /proc/self/status, or null when absent or unreadable.</summary>
    public static IReadOnlyList<int>? AffinityCpus(string procStatus)
    {
        ArgumentNullException.ThrowIfNull(procStatus);
        var line = procStatus.Split('\n').FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        if (line is null) return null;
        var cpus = new List<int>();
        foreach (var range in line["Cpus_allowed_list:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = range.Split('-');
            if (!int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)) return null;
            int last = first;
            if (ends.Length == 2 && !int.TryParse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture, out last)) return null;
            for (int cpu = first; cpu <= last; cpu++) cpus.Add(cpu);
        }
        return cpus;
    }

    /// <summary>The CPUs this process may run on (Linux; null elsewhere or when unknown).</summary>
    public static IReadOnlyList<int>? CurrentAffinity() =>
        OperatingSystem.IsLinux() && TryRead("/proc/self/status") is { } status ? AffinityCpus(status) : null;

    /// <summary>Cores allowed by a cgroup v2 <c>cpu.max</c> text ("150000 100000" is 1.5; "max 100000" is no limit: null).</summary>
    public static double? QuotaFromCpuMax(string cpuMax)
    {
        ArgumentNullException.ThrowIfNull(cpuMax);
        var parts = cpuMax.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts[0] == "max") return null;
        return Quota(parts[0], parts[1]);
    }

    /// <summary>Cores allowed by cgroup v1 <c>cpu.cfs_quota_us</c> and <c>cpu.cfs_period_us</c> (a quota of -1 is no limit: null).</summary>
    public static double? QuotaFromCfs(string quotaMicroseconds, string periodMicroseconds) =>
        Quota(quotaMicroseconds.Trim(), periodMicroseconds.Trim());

    private static double? Quota(string quota, string period) =>
        long.TryParse(quota, NumberStyles.Integer, CultureInfo.InvariantCulture, out long q) && q > 0
        && long.TryParse(period, NumberStyles.Integer, CultureInfo.InvariantCulture, out long p) && p > 0
            ? (double)q / p
            : null;

    /// <summary>The smallest quota on the path from this process's cgroup up to the root (a parent's limit binds too).</summary>
    private static double? CgroupQuota()
    {
        if (TryRead("/proc/self/cgroup") is not { } membership) return null;
        double? smallest = null;
        foreach (var line in membership.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(':', 3);
            if (fields.Length != 3) continue;
            bool v2 = fields[0] == "0" && fields[1].Length == 0;
            bool v1Cpu = fields[1].Split(',').Contains("cpu");
            if (!v2 && !v1Cpu) continue;
            string root = v2 ? "/sys/fs/cgroup" : FindV1CpuMount() ?? "/sys/fs/cgroup/cpu";
            for (string? path = fields[2]; path is not null; path = ParentCgroup(path))
            {
                string dir = Path.Join(root, path);
                double? quota = v2
                    ? TryRead(Path.Join(dir, "cpu.max")) is { } max ? QuotaFromCpuMax(max) : null
                    : TryRead(Path.Join(dir, "cpu.cfs_quota_us")) is { } q && TryRead(Path.Join(dir, "cpu.cfs_period_us")) is { } p ? QuotaFromCfs(q, p) : null;
                if (quota is { } found && (smallest is null || found < smallest)) smallest = found;
            }
        }
        return smallest;
    }

    private static string? ParentCgroup(string path)
    {
        if (path is "/" or "") return null;
        int slash = path.TrimEnd('/').LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static string? FindV1CpuMount()
    {
        if (TryRead("/proc/self/mounts") is not { } mounts) return null;
        foreach (var line in mounts.Split('\n'))
        {
            var fields = line.Split(' ');
            if (fields.Length > 3 && fields[2] == "cgroup" && fields[3].Split(',').Contains("cpu")) return fields[1];
        }
        return null;
    }

    internal static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
