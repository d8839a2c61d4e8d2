using System.Collections.Concurrent;

namespace DigitMl.Scoring;

/// <summary>
/// Lets callers score image bytes through the same ImagePath-based chain: the bytes are registered under a unique
/// pseudo path (<c>memory://...</c>) that the chain's image loader resolves, for as long as the returned lease lives.
/// </summary>
public static class InMemoryImages
{
    public const string Scheme = "memory://";

    private static readonly ConcurrentDictionary<string, byte[]> Images = new(StringComparer.Ordinal);

    public static Lease Register(byte[] bytes, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        string path = $"{Scheme}{Guid.NewGuid():N}/{name ?? "image"}";
        Images[path] = bytes;
        return new Lease(path);
    }

    internal static bool TryGet(string path, out byte[] bytes)
    {
        if (path.StartsWith(Scheme, StringComparison.Ordinal) && Images.TryGetValue(path, out var found))
        {
            bytes = found;
            return true;
        }

        bytes = [];
        return false;
    }

    /// <summary>Removes the registration when disposed.</summary>
    public sealed class Lease(string path) : IDisposable
    {
        public string Path { get; } = path;

        public void Dispose() => Images.TryRemove(Path, out _);
    }
}
