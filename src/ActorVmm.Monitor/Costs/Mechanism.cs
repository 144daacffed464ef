namespace ActorVmm.Monitor;

/// <summary>Where the monitor spends simulated cycles: the rows of a Disco-style overhead table.</summary>
public enum Mechanism : byte
{
    /// <summary>Entering the monitor on a trap and leaving it again.</summary>
    TrapEntryExit,

    /// <summary>Reflecting a guest exception or interrupt into the guest kernel's vector.</summary>
    Reflection,

    /// <summary>Emulating a privileged instruction on the virtual CP0 (MFC0, MTC0, TLBP, TLBR, ERET, WAIT, DI/EI, CACHE).</summary>
    PrivilegedEmulation,

    /// <summary>Intercepting a guest TLB write: VPN→PPN becomes VPN→MPN through the pmap.</summary>
    TlbWriteInterception,

    /// <summary>A machine-TLB miss served from the second-level software TLB without entering the guest.</summary>
    L2TlbRefill,

    /// <summary>Allocating a machine page on a guest page's first use.</summary>
    MpnAllocation,

    /// <summary>Saving one VM's machine state and restoring another's.</summary>
    MachineSwitch,

    /// <summary>Flushing the machine TLB on a machine switch.</summary>
    TlbFlush,

    /// <summary>Emulating an access to the guest's device page.</summary>
    DeviceEmulation,

    /// <summary>Performing a paravirtual guest's monitor call (docs/HYPERCALLS.md), the TLB write and ERET of a RefillReturn included.</summary>
    MonitorCall,

    /// <summary>Keeping a paravirtual guest's special page coherent with its virtual CP0 on a trap.</summary>
    SpecialPage,

    /// <summary>Giving a VM its own copy of a page it shared copy-on-write, on its first write.</summary>
    CopyOnWrite,
    /// <summary>Moving the VM to another node of a cluster: its machine state and its guest pages.</summary>
    Migration,
}
