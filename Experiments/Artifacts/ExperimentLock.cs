namespace DigitMl.Experiments.Artifacts;

/// <summary>
/// An exclusive, cross-process lock on a file (FileShare.None: an advisory flock on Unix, a share lock on
/// Windows). Held only for short read-modify-write steps such as rewriting leaderboard.csv and best.
/// The lock is released when the process dies, so a killed sweep never blocks the next one.
/// </summary>
public sealed class ExperimentLock : IDisposable
{
    private readonly FileStream _stream;

    private ExperimentLock(FileStream stream) => _stream = stream;

    public static ExperimentLock Acquire(string lockFilePath, TimeSpan timeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(lockFilePath))!);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (TryAcquire(lockFilePath) is { } acquired) return acquired;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"could not lock {lockFilePath} within {timeout.TotalSeconds:0} s; another process holds it");
            Thread.Sleep(Random.Shared.Next(10, 40));
        }
    }

    /// <summary>The lock, or null at once when another holder has it.</summary>
    public static ExperimentLock? TryAcquire(string lockFilePath)
    {
        try
        {
            return new ExperimentLock(new FileStream(lockFilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
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

    public void Dispose() => _stream.Dispose();
}
