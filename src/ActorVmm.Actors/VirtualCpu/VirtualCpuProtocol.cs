using System.Collections.Immutable;
using ActorVmm.Memory;
using ActorVmm.Monitor;

namespace ActorVmm.Actors;

/// <summary>Messages the VirtualCpu actor serves, and their replies.</summary>
public static class VirtualCpuProtocol
{
    /// <summary>Every message of this protocol: what its serializer is bound to.</summary>
    public interface IMessage
    {
    }

    /// <summary>
    /// PhysicalCpu → vCPU: run your guest until your cycle counter has advanced by
    /// <paramref name="Budget"/>. <paramref name="MachineSwitch"/>: the physical CPU last ran
    /// another vCPU, so its machine TLB is flushed first and the switch is charged.
    /// <paramref name="Clock"/>: the physical CPU's simulated clock at the start (for the trace).
    /// </summary>
    public sealed record Dispatch(int Pcpu, long Budget, bool MachineSwitch, long Clock = 0) : IMessage;

    /// <summary>vCPU → PhysicalCpu, the reply to <see cref="Dispatch"/>: the physical CPU is free again.</summary>
    /// <param name="CyclesUsed">Simulated cycles this dispatch used (guest instructions and monitor work).</param>
    /// <param name="IdleCycles">For <see cref="YieldReason.Idle"/>: how long the guest waits for its next interrupt.</param>
    /// <param name="Instructions">Guest instructions retired during this dispatch.</param>
    public sealed record Yielded(VcpuKey Vcpu, YieldReason Reason, long CyclesUsed, long IdleCycles, long Instructions) : IMessage;

    /// <summary>Ask a vCPU for its counters; replied with <see cref="VcpuStatistics"/>.</summary>
    public sealed record GetStatistics : IMessage;

    /// <summary>
    /// Root → vCPU, between epochs: the memory manager moved these pages to shared machine pages
    /// (the content scan); the vCPU takes them in, dropping its machine-TLB entries for the old
    /// pages, and replies <see cref="PagesRemapped"/> before it can run again.
    /// </summary>
    public sealed record RemapPages(ImmutableArray<Memory.GuestPageMapping> Mappings) : IMessage;

    public sealed record PagesRemapped(VcpuKey Vcpu) : IMessage;

    /// <summary>GuestVm → vCPU, between dispatches: give me your state and run no more (the VM is moving).</summary>
    public sealed record CaptureVcpu : IMessage;

    /// <summary>The reply to <see cref="CaptureVcpu"/>.</summary>
    public sealed record VcpuCaptured(VcpuKey Vcpu, VcpuState State) : IMessage;

    /// <summary>The refusal of <see cref="CaptureVcpu"/>: the vCPU is in a dispatch (a trap or a page is awaited).</summary>
    public sealed record CaptureRefused(VcpuKey Vcpu, string Reason) : IMessage;

    /// <summary>
    /// GuestVm → vCPU, between dispatches: give me your state for a checkpoint and go on. The
    /// pages written since the last checkpoint are taken (dirty tracking starts again), so the
    /// state says none are dirty. Replied with <see cref="VcpuCheckpointed"/> or <see cref="CaptureRefused"/>.
    /// </summary>
    public sealed record CheckpointVcpu : IMessage;

    /// <param name="Full">The VM's first checkpoint: every page is to be stored, <paramref name="Dirty"/> is empty.</param>
    /// <param name="Dirty">Otherwise the pages written since the last checkpoint.</param>
    public sealed record VcpuCheckpointed(VcpuKey Vcpu, VcpuState State, bool Full, ImmutableArray<Ppn> Dirty) : IMessage;

    /// <summary>GuestVm → vCPU: the VM stops (its checkpoints cannot be stored); the vCPU runs no more.</summary>
    public sealed record HaltVcpu : IMessage;
}
