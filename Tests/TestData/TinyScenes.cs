using System.Collections.Concurrent;
using DigitMl.Data;
using DigitMl.Experiments.Cli;
using DigitMl.Data.Mnist;
using DigitMl.Data.Scenes;

namespace DigitMl.Tests.TestData;

/// <summary>
/// Small generated digit-scene datasets for tests of every area. Each distinct parameter set is generated
/// once per test run (thread-safe) into a temporary folder of this process, removed when the process exits.
/// Treat the returned dataset as read-only: other tests share it.
/// </summary>
public static class TinyScenes
{
    private static readonly ConcurrentDictionary<(int, int, int, int, int), Lazy<string>> Cache = new();
    private static readonly Lazy<MnistDigits> Digits = new(() => MnistDigits.Load(RepositoryLayout.MnistDir));
    private static readonly Lazy<string> RunDir = new(CreateRunDir);

    /// <summary>The shipped MNIST digits (loaded once).</summary>
    public static MnistDigits Mnist => Digits.Value;

    /// <summary>Path of the data.yaml of a dataset with the given scene counts, square <paramref name="imgsz"/> canvas and seed.</summary>
    public static string Create(int train, int val, int test, int imgsz = 64, int seed = 1)
    {
        var key = (train, val, test, imgsz, seed);
        return Cache.GetOrAdd(key, k => new Lazy<string>(() => Generate(k), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>A new empty folder for one test, removed with the others of this run.</summary>
    public static string NewTempDirectory(string prefix)
    {
        string dir = Path.Combine(RunDir.Value, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// The options <see cref="Create"/> uses: digits scaled to fit the small canvas, plain scenes (square, scattered
    /// digits, no domain randomisation) so that tests of other areas see simple, predictable data.
    /// </summary>
    public static SceneOptions Options(int train, int val, int test, int imgsz = 64, int seed = 1) => new()
    {
        Train = train,
        Val = val,
        Test = test,
        Width = imgsz,
        Height = imgsz,
        Seed = seed,
        MinDigitHeight = Math.Max(8, imgsz / 8),
        MaxDigitHeight = Math.Max(10, imgsz * 3 / 8),
        MaxDigits = 4,
        Variation = SceneVariation.Plain,
    };

    private static string Generate((int Train, int Val, int Test, int Imgsz, int Seed) k)
    {
        string dir = Path.Combine(RunDir.Value, $"tiny-{k.Train}-{k.Val}-{k.Test}-{k.Imgsz}px-seed{k.Seed}");
        return SceneGenerator.Generate(Mnist, dir, Options(k.Train, k.Val, k.Test, k.Imgsz, k.Seed));
    }

    private static string CreateRunDir()
    {
        string parent = Path.Combine(Path.GetTempPath(), "digitml-tests");
        RemoveFoldersOfEndedRuns(parent);
        string dir = Path.Combine(parent, $"scenes-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // best effort: a leftover temp folder is harmless
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        return dir;
    }

    /// <summary>The test host is often killed before ProcessExit handlers run: clear folders whose process is gone.</summary>
    private static void RemoveFoldersOfEndedRuns(string parent)
    {
        if (!Directory.Exists(parent)) return;
        foreach (var dir in Directory.GetDirectories(parent, "scenes-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[1], out int pid) || AbandonedFolders.IsRunning(pid)) continue;
            AbandonedFolders.TryDelete(dir);
        }
    }
}
