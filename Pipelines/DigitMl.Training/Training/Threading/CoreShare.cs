namespace DigitMl.Training.Threading;

/// <summary>
/// The cores of one machine shared fairly by the training jobs that run on it at the same time. Each job holds a
/// lease: a file in a common folder, open with an exclusive lock (flock on Unix, a share lock on Windows) for as
/// long as the job lives, so a killed job's lease is recognised (its lock is gone) and removed by the next one to
/// look. A job's thread count is its part of the cores: cores / jobs, the remainder going to the oldest leases.
/// Jobs look again at every <see cref="Refresh"/>, so a job that starts later or ends gives its cores back.
/// </summary>
public sealed class CoreShare : IDisposable
{
    private const string LeaseExtension = ".lease";
    private readonly FileStream _lease;
    private readonly string _directory;
    private readonly string _name;
    private int _jobs = 1;
    private int _position;

    private CoreShare(string directory, string name, FileStream lease, int cores)
    {
        _directory = directory;
        _name = name;
        _lease = lease;
        Cores = cores;
    }

    /// <summary>The default folder of the leases: one per user and machine (every DigitMl training of this user shares with the others).</summary>
    public static string DefaultDirectory { get; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create) is { Length: > 0 } local
            ? local
            : Path.GetTempPath(),
        "DigitMl", "trainers");

    /// <summary>Cores the machine lets this process use (shared among the jobs).</summary>
    public int Cores { get; }

    /// <summary>Training jobs holding a lease at the last <see cref="Refresh"/>, this one included.</summary>
    public int Jobs => _jobs;

    /// <summary>This job's part of the cores (at least 1).</summary>
    public int Threads => Share(Cores, _jobs, _position);

    /// <summary>Takes a lease in <paramref name="directory"/> and looks at the others.</summary>
    public static CoreShare Join(string directory, int cores)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cores);
        Directory.CreateDirectory(directory);
        // named by start time, so the sorted names are the jobs in the order they started
        string name = FormattableString.Invariant($"{DateTime.UtcNow.Ticks:D19}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string pending = Path.Combine(directory, name + ".tmp");
        var stream = new FileStream(pending, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        try
        {
            // locked before it gets the name others look for: nobody can take a lease being created for a dead one
            File.Move(pending, Path.Combine(directory, name + LeaseExtension));
        }
        catch
        {
            stream.Dispose();
            File.Delete(pending);
            throw;
        }
        var share = new CoreShare(directory, name, stream, cores);
        share.Refresh();
        return share;
    }

    /// <summary>Counts the live leases again (removing those of jobs that died); true when this job's thread count changed.</summary>
    public bool Refresh()
    {
        int before = Threads;
        var live = new List<string>();
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + LeaseExtension))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (name == _name || IsHeld(path)) live.Add(name);
        }
        live.Sort(StringComparer.Ordinal);
        _jobs = Math.Max(1, live.Count);
        _position = Math.Max(0, live.IndexOf(_name));
        return Threads != before;
    }

    /// <summary>Threads of the job at <paramref name="position"/> (0 = oldest) of <paramref name="jobs"/> sharing <paramref name="cores"/>.</summary>
    public static int Share(int cores, int jobs, int position) =>
        Math.Max(1, (cores / Math.Max(1, jobs)) + (position < cores % Math.Max(1, jobs) ? 1 : 0));

    /// <summary>A lease whose lock can be taken belongs to a job that is gone: remove it.</summary>
    private static bool IsHeld(string path)
    {
        try
        {
            using var stale = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(Path.Combine(_directory, _name + LeaseExtension));
        }
        catch (IOException)
        {
            // another job removes it once the lock is released
        }
        _lease.Dispose();
    }
}
