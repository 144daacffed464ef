namespace ActorVmm.Monitor;

/// <summary>The monitor calls of docs/HYPERCALLS.md (the number added to <see cref="ParavirtualAbi.CodeBase"/>).</summary>
public enum MonitorCall : byte
{
    /// <summary>a0 = guest-physical address of the 8 KB area: the special page and the console buffer.</summary>
    Register = 1,

    /// <summary>a0 = bytes of the console buffer to print.</summary>
    Console = 2,

    /// <summary>a0 = guest-physical page that must read as zeros from now on.</summary>
    ZeroPage = 3,

    /// <summary>a0 = guest-physical page whose contents the guest no longer needs.</summary>
    FreePage = 4,

    /// <summary>The end of a TLB refill: EntryLo0 = k0, EntryLo1 = k1, TLBWR, ERET, in one trap.</summary>
    RefillReturn = 5,
}
