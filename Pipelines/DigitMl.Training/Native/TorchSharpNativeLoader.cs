using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security.Cryptography;

namespace DigitMl.Training.Native;

/// <summary>
/// Makes TorchSharp's native library load on Linux distributions whose libstdc++ is older than the one
/// TorchSharp was built with (Debian 12 ships GCC 12's libstdc++, up to GLIBCXX_3.4.30).
/// </summary>
/// <remarks>
/// libLibTorchSharp.so 0.107.0 requires the version tag GLIBCXX_3.4.32 for exactly one symbol,
/// <c>std::ios_base_library_init()</c>. GCC 13's &lt;iostream&gt; references it only as a link-time marker
/// that the newer libstdc++ initialises the standard streams; it is never called. When the normal load fails
/// for that reason, this loader copies the library to a per-user cache folder, marks that version requirement
/// weak (VER_FLG_WEAK in .gnu.version_r) so the dynamic loader tolerates its absence, and hands the copy to
/// the runtime. Nothing happens where the system libstdc++ is new enough: the normal load succeeds and this
/// code is never asked. The NuGet cache and the application folder are never modified, and no environment
/// variable is needed. Requirements that guard symbols which are really used are never weakened: the loader
/// fails with a clear message instead.
/// </remarks>
public static class TorchSharpNativeLoader
{
    private const string LibraryName = "libLibTorchSharp.so";
    private static readonly string[] TorchDependencies = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];
    private static readonly HashSet<string> MarkerOnlySymbols = ["_ZSt21ios_base_library_initv"];
    private static readonly Lock Gate = new();
    private static IntPtr patchedHandle;
    private static int registered;

    /// <summary>Where patched copies live: one folder per content hash of the original library.</summary>
    public static string CacheRoot { get; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create) is { Length: > 0 } local
            ? local
            : Path.GetTempPath(),
        "DigitMl", "native");

    /// <summary>The patched copy in use, or null when the original loaded (or no load was needed yet).</summary>
    public static string? PatchedLibraryPath { get; private set; }

#pragma warning disable CA2255 // a library-level module initializer is the point: it must run before any TorchSharp call
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterOnModuleLoad() => Register();

    /// <summary>
    /// Hooks the runtime's fallback for native libraries it cannot load. Runs automatically when this
    /// assembly loads; calling it again does nothing.
    /// </summary>
    public static void Register()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref registered, 1) == 1) return;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += OnUnresolvedNativeLibrary;
    }

    private static IntPtr OnUnresolvedNativeLibrary(Assembly assembly, string name)
    {
        if (name is not ("LibTorchSharp" or LibraryName)) return IntPtr.Zero;
        lock (Gate)
        {
            if (patchedHandle == IntPtr.Zero)
                patchedHandle = LoadPatchedCopy(assembly);
            return patchedHandle;
        }
    }

    private static IntPtr LoadPatchedCopy(Assembly requestingAssembly)
    {
        string original = FindNative(LibraryName, requestingAssembly)
            ?? throw new DllNotFoundException(
                $"{LibraryName} was not found next to the application or in the NuGet package folders ({string.Join(", ", SearchDirectories(requestingAssembly))}).");
        string loadError;
        try
        {
            return NativeLibrary.Load(original);
        }
        catch (DllNotFoundException e)
        {
            loadError = e.Message;
        }
        if (!loadError.Contains("GLIBCXX_", StringComparison.Ordinal))
            throw new DllNotFoundException($"{original} could not be loaded: {loadError}");

        foreach (string dependency in TorchDependencies)
        {
            // The copy lives in another folder, so its $ORIGIN runpath no longer finds libtorch: load the
            // dependencies by full path first; the dynamic loader then matches them by soname.
            string? path = FindNative(dependency, requestingAssembly);
            if (path is not null) NativeLibrary.Load(path);
        }

        string patched = WritePatchedCopy(original, loadError);
        PatchedLibraryPath = patched;
        return NativeLibrary.Load(patched);
    }

    private static string WritePatchedCopy(string original, string loadError)
    {
        byte[] elf = File.ReadAllBytes(original);
        string hash = Convert.ToHexString(SHA256.HashData(elf))[..16].ToLowerInvariant();
        string target = Path.Combine(CacheRoot, hash, LibraryName);
        if (File.Exists(target)) return target;

        int weakened = 0;
        foreach (var need in ElfVersionNeedPatcher.ReadVersionNeeds(elf))
        {
            if (need.IsWeak || !need.Library.StartsWith("libstdc++", StringComparison.Ordinal)) continue;
            if (!loadError.Contains($"`{need.Version}'", StringComparison.Ordinal)) continue; // dlerror quotes the missing tag
            var symbols = ElfVersionNeedPatcher.SymbolsAtVersion(elf, need.Index);
            if (symbols.Any(s => !MarkerOnlySymbols.Contains(s)))
                throw new DllNotFoundException(
                    $"{original} needs {need.Version} of the system libstdc++ for symbols that are really used " +
                    $"({string.Join(", ", symbols.Take(5))}); install a newer libstdc++ (GCC 13 or later). Loader said: {loadError}");
            ElfVersionNeedPatcher.MarkWeak(elf, need);
            weakened++;
        }
        if (weakened == 0)
            throw new DllNotFoundException($"{original} could not be loaded and no version requirement could be relaxed: {loadError}");

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string temporary = $"{target}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, elf);
        File.Move(temporary, target, overwrite: true); // atomic: concurrent processes write identical bytes
        return target;
    }

    private static string? FindNative(string fileName, Assembly requestingAssembly) =>
        SearchDirectories(requestingAssembly)
            .Select(dir => Path.Combine(dir, fileName))
            .FirstOrDefault(File.Exists);

    private static IEnumerable<string> SearchDirectories(Assembly requestingAssembly)
    {
        // The runtime's own probing list comes first (it includes NuGet package folders when running from a build).
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string probing)
            foreach (string dir in probing.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                yield return dir;
        string app = AppContext.BaseDirectory;
        yield return Path.Combine(app, "runtimes", "linux-x64", "native");
        yield return Path.Combine(app, "cpu");
        yield return app;
        if (Path.GetDirectoryName(requestingAssembly.Location) is { Length: > 0 } assemblyDir)
        {
            yield return assemblyDir;
            yield return Path.Combine(assemblyDir, "runtimes", "linux-x64", "native");
        }
    }
}
