namespace ActorVmm.Cpu;

/// <summary>
/// The kernel services of Disco's Table 2: what a guest kernel is doing between an exception
/// and the ERET that ends it.
/// </summary>
public enum Service : byte
{
    /// <summary>A TLB refill through the refill vector (EXL was clear): the kernel's fast path.</summary>
    TlbRefill,

    /// <summary>A TLB invalid or modified exception, or a refill taken with EXL set: the slow path (demand-zero paging).</summary>
    PageFault,

    SystemCall,

    Interrupt,

    /// <summary>Everything else: address errors, reserved instructions, breaks, traps.</summary>
    Other,
}
