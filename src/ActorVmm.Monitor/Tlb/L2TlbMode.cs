namespace ActorVmm.Monitor;

/// <summary>What the L2 TLB may serve without entering the guest (<c>monitor.l2-tlb</c>).</summary>
public enum L2TlbMode : byte
{
    /// <summary>
    /// Only misses on translations the guest's own TLB still holds: the guest takes exactly
    /// the TLB exceptions it takes on the bare board, and retires exactly its instructions.
    /// </summary>
    Exact,

    /// <summary>
    /// Also misses on translations the guest's 64-entry TLB has evicted, as Disco's L2 TLB
    /// did: the monitor performs the guest's refill for it (<see cref="L2TlbHistory"/>). The
    /// guest sees the same TLB contents, registers and clock as on the bare board, but retires
    /// fewer instructions: its refill handler does not run.
    /// </summary>
    Disco,
}
