namespace ActorVmm.Host.Fuzz;

/// <summary>The registers a fuzz case may use, and the layout of the values each case prints.</summary>
public static class FuzzRegisters
{
    /// <summary>Every GPR but zero, k0, k1 (the kernel's) and sp (it holds the save area).
    /// ra is fair game: the program never returns through it.</summary>
    public static readonly IReadOnlyList<int> Usable =
        [.. Enumerable.Range(1, 25), 28, 30, 31];

    public static readonly IReadOnlyList<string> AbiNames =
    [
        "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
        "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
        "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
        "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
    ];

    /// <summary>The values of one case line, in order: the usable registers, HI, LO and the
    /// checksum of the scratch buffer.</summary>
    public static readonly IReadOnlyList<string> DumpNames =
        [.. Usable.Select(r => AbiNames[r]), "hi", "lo", "mem"];

    /// <summary>Words saved on the stack before the dump (everything but the checksum).</summary>
    public static int SavedWords => Usable.Count + 2;

    public static string Name(int register) => "$" + AbiNames[register];
}
