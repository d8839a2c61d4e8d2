namespace DigitMl.Data.Scenes;

/// <summary>
/// SplitMix64: a tiny seeded generator with the same output on every machine and runtime
/// (System.Random's algorithm is not a compatibility promise). Each scene gets its own instance
/// seeded from (seed, split, index), so scenes can be drawn in any order or in parallel.
/// </summary>
internal sealed class SceneRandom
{
    private ulong _state;

    public SceneRandom(ulong seed) => _state = seed;

    public static SceneRandom ForScene(int seed, int splitId, int index) =>
        new(Mix(Mix(Mix(unchecked((ulong)seed) + 0x9E3779B97F4A7C15UL) + (ulong)splitId) + (ulong)index));

    /// <summary>
    /// An independent generator for one part of the scene (paper, ink, capture, ...), derived from this one's
    /// current state without advancing it, so that changing how much one part draws leaves the others unchanged.
    /// </summary>
    public SceneRandom Fork(ulong stream) => new(Mix(_state ^ Mix(unchecked((stream + 1) * 0xD1B54A32D192ED03UL))));

    public ulong NextUInt64()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform integer in [0, count).</summary>
    public int NextInt(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (int)(((NextUInt64() >> 32) * (ulong)count) >> 32);
    }

    /// <summary>Uniform integer in [min, max] (both included).</summary>
    public int Between(int min, int max) => min + NextInt(max - min + 1);

    public bool Chance(double probability) => NextDouble() < probability;

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
