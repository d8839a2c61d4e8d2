namespace DigitMl.Training;

/// <summary>
/// Stable seeds derived from (run seed, epoch, position) with SplitMix64 mixing, so the random stream of every
/// sample is fixed by its place in the run and not by which thread builds it or when. (HashCode is randomised
/// per process and cannot be used here.)
/// </summary>
internal static class DeterministicSeed
{
    public static int Mix(params long[] parts)
    {
        ulong state = 0x9E3779B97F4A7C15UL;
        foreach (var part in parts)
        {
            state ^= unchecked((ulong)part);
            state = SplitMix(state);
        }
        return (int)(state & 0x7FFFFFFF);
    }

    private static ulong SplitMix(ulong x)
    {
        unchecked
        {
            x += 0x9E3779B97F4A7C15UL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }
    }
}
