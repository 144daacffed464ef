using System.Collections.Immutable;
using ActorVmm.Cpu;
using ActorVmm.Memory;

namespace ActorVmm.Monitor;

/// <summary>Why a vCPU needs the monitor.</summary>
public enum TrapKind : byte
{
    /// <summary>A guest exception the CPU stopped on: privileged instruction, system call, fault.</summary>
    Exception,

    /// <summary>A TLB exception the guest must see: its own (virtual) TLB does not translate the address.</summary>
    GuestTlb,

    /// <summary>A virtual interrupt is pending and the guest accepts it.</summary>
    Interrupt,

    /// <summary>A load or store to the guest's device page.</summary>
    DeviceAccess,

    /// <summary>A paravirtual guest's kernel called the monitor (docs/HYPERCALLS.md).</summary>
    MonitorCall,
}

/// <summary>
/// Everything the trap router needs to decide, as a value: the exception, the guest's
/// virtual CP0 (Count current), the source register of the instruction, for TLBP/TLBR a
/// copy of the virtual TLB, and for a TLB write the machine pages the vCPU already knows
/// for the entry's guest-physical pages (the memory manager's earlier answers), so the
/// router asks the memory manager only about pages it has never seen.
/// </summary>
public sealed record TrapRequest(
    TrapKind Kind,
    GuestException Exception,
    Cp0State Cp0,
    uint RtValue,
    ImmutableArray<TlbEntry> VirtualTlb,
    DeviceAccess? Device = null,
    ImmutableArray<GuestPageMapping> KnownPages = default,
    MonitorCallRequest? MonitorCall = null);

/// <summary>A decoded access to the device page.</summary>
public sealed record DeviceAccess(uint Offset, LoadStoreInstruction Instruction, uint StoreValue);
