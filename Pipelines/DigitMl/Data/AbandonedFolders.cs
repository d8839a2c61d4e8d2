namespace DigitMl.Data;

/// <summary>
/// Staging folders named after the process that made them: whether that process still runs, and a removal that
/// tolerates another process removing the same folder (a leftover is harmless; the next run tries again).
/// </summary>
internal static class AbandonedFolders
{
    public static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
