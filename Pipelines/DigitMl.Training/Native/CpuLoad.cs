using System.Globalization;

namespace DigitMl.Training.Native;

/// <summary>
/// How many of this process's CPUs other processes keep busy, measured between two looks: the busy time of those
/// CPUs (/proc/stat, one line per CPU) minus this process's own CPU time (/proc/self/stat), over the time elapsed.
/// A libtorch thread team larger than the CPUs left free waits at every parallel region for a thread the kernel
/// gave to somebody else: measured here, 2 threads on 2 cores next to a busy neighbour ran 30x slower than 1.
/// Linux only (<see cref="Start"/> returns null elsewhere).
/// </summary>
public sealed class CpuLoad
{
    private readonly IReadOnlyList<int> _cpus;
    private (long Busy, long Total) _machine;
    private long _own;

    private CpuLoad(IReadOnlyList<int> cpus, (long Busy, long Total) machine, long own)
    {
        _cpus = cpus;
        _machine = machine;
        _own = own;
    }

    /// <summary>A first look, or null where /proc cannot be read.</summary>
    public static CpuLoad? Start()
    {
        if (CpuBudget.CurrentAffinity() is not { Count: > 0 } cpus) return null;
        if (Read(cpus) is not { } sample) return null;
        return new CpuLoad(cpus, sample.Machine, sample.Own);
    }

    /// <summary>CPUs (of this process's) kept busy by others since the last look, or null when too little time has passed to tell.</summary>
    public double? OthersBusyCores()
    {
        if (Read(_cpus) is not { } now) return null;
        long total = now.Machine.Total - _machine.Total;
        // under about half a second (100 jiffies a second per CPU) the counts say little: keep counting from the last look
        if (total < 50L * _cpus.Count) return null;
        long othersBusy = (now.Machine.Busy - _machine.Busy) - (now.Own - _own);
        _machine = now.Machine;
        _own = now.Own;
        // total is summed over the CPUs: busy / total is the busy fraction of all of them
        return Math.Clamp((double)othersBusy / total * _cpus.Count, 0, _cpus.Count);
    }

    /// <summary>
    /// Threads worth running on <paramref name="cores"/> when others keep <paramref name="othersBusyCores"/> of them
    /// busy: the cores left, rounded, at least 1.
    /// </summary>
    public static int FreeCores(int cores, double othersBusyCores) =>
        Math.Clamp((int)Math.Round(cores - othersBusyCores, MidpointRounding.AwayFromZero), 1, Math.Max(1, cores));

    /// <summary>Busy and total jiffies summed over the lines <c>cpuN</c> of /proc/stat for N in <paramref name="cpus"/>.</summary>
    public static (long Busy, long Total)? ParseStat(string procStat, IReadOnlyList<int> cpus)
    {
        ArgumentNullException.ThrowIfNull(procStat);
        ArgumentNullException.ThrowIfNull(cpus);
        var wanted = cpus.ToHashSet();
        long busy = 0, total = 0;
        int found = 0;
        foreach (var line in procStat.Split('\n'))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4 || !char.IsAsciiDigit(line[3])) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!int.TryParse(fields[0].AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out int cpu) || !wanted.Contains(cpu)) continue;
            // user nice system idle iowait irq softirq steal (guest time is already in user)
            var values = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            if (values.Length < 8) return null;
            long idle = values[3] + values[4];
            long work = values[0] + values[1] + values[2] + values[5] + values[6] + values[7];
            busy += work;
            total += work + idle;
            found++;
        }
        return found == wanted.Count ? (busy, total) : null;
    }

    /// <summary>utime + stime (jiffies) of a /proc/PID/stat line.</summary>
    public static long? ParseOwnTicks(string selfStat)
    {
        ArgumentNullException.ThrowIfNull(selfStat);
        // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
        int close = selfStat.LastIndexOf(')');
        if (close < 0) return null;
        var fields = selfStat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is the state (field 3); utime and stime are fields 14 and 15
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out long user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out long system)
            ? user + system
            : null;
    }

    private static ((long Busy, long Total) Machine, long Own)? Read(IReadOnlyList<int> cpus) =>
        CpuBudget.TryRead("/proc/stat") is { } stat && ParseStat(stat, cpus) is { } machine
        && CpuBudget.TryRead("/proc/self/stat") is { } self && ParseOwnTicks(self) is { } own
            ? (machine, own)
            : null;
}
