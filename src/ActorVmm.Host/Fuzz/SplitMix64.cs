namespace ActorVmm.Host.Fuzz;

/// <summary>
/// SplitMix64: a tiny PRNG whose sequence is fixed by its definition, so a fuzz seed
/// means the same program on every .NET version (System.Random makes no such promise).
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The generator for case <paramref name="index"/> of run <paramref name="seed"/>:
    /// independent of every other case, so one case can be regenerated on its own.</summary>
    public static SplitMix64 ForCase(ulong seed, long index) =>
        new(Mix(seed ^ Mix((ulong)index + 0x9E3779B97F4A7C15UL)));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    public uint NextUInt32() => (uint)(NextUInt64() >> 32);

    /// <summary>Uniform in [0, bound).</summary>
    public int Next(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        return (int)((NextUInt64() >> 33) % (ulong)bound);
    }

    /// <summary>Uniform in [min, max].</summary>
    public int Range(int min, int max) => min + Next(max - min + 1);

    public bool Chance(int percent) => Next(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
