using System.Diagnostics;

namespace DigitMl.Tests.Serve;

/// <summary>
/// Debian's Chromium for the browser test (never a browser that Playwright downloads). .ci/run installs it when it is
/// missing; a plain `dotnet test` run as root installs it here the same way, so a fresh machine needs no manual step.
/// </summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Headless, no sandbox (root in a container), and no background traffic towards a network that is closed here.</summary>
    public static IReadOnlyList<string> Flags { get; } =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string EnsureInstalled() => Installed.Value;

    private static string Install()
    {
        if (File.Exists(ExecutablePath)) return ExecutablePath;
        bool root = Environment.UserName == "root";
        if (!root || !File.Exists("/usr/bin/apt-get"))
            Assert.Fail($"{ExecutablePath} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does this itself");
        TestContext.Progress.WriteLine("installing chromium (apt-get install -y chromium) for the browser test");
        Run("apt-get", "update", "-qq");
        Run("apt-get", "install", "-y", "-qq", "chromium");
        Assert.That(File.Exists(ExecutablePath), Is.True, $"{ExecutablePath} after apt-get install chromium");
        return ExecutablePath;
    }

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(600_000)) process.Kill(entireProcessTree: true);
        if (process.ExitCode != 0)
            Assert.Fail($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Result}{output.Result}");
    }
}
