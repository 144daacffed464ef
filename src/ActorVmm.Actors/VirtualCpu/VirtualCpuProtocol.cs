using System.Collections.Immutable;
using ActorVmm.Monitor;

namespace ActorVmm.Actors;

/// <summary>Messages the VirtualCpu actor serves, and their replies.</summary>
public static class VirtualCpuProtocol
{
    /// <summary>
    /// PhysicalCpu → vCPU: run your guest until your cycle counter has advanced by
    /// <paramref name="Budget"/>. <paramref name="MachineSwitch"/>: the physical CPU last ran
    /// another vCPU, so its machine TLB is flushed first and the switch is charged.
    /// </summary>
    public sealed record Dispatch(int Pcpu, long Budget, bool MachineSwitch);

    /// <summary>vCPU → PhysicalCpu, the reply to <see cref="Dispatch"/>: the physical CPU is free again.</summary>
    /// <param name="CyclesUsed">Simulated cycles this dispatch used (guest instructions and monitor work).</param>
    /// <param name="IdleCycles">For <see cref="YieldReason.Idle"/>: how long the guest waits for its next interrupt.</param>
    /// <param name="Instructions">Guest instructions retired during this dispatch.</param>
    public sealed record Yielded(VcpuKey Vcpu, YieldReason Reason, long CyclesUsed, long IdleCycles, long Instructions);

    /// <summary>Ask a vCPU for its counters; replied with <see cref="VcpuStatistics"/>.</summary>
    public sealed record GetStatistics;

    /// <summary>
    /// Root → vCPU, between epochs: the memory manager moved these pages to shared machine pages
    /// (the content scan); the vCPU takes them in, dropping its machine-TLB entries for the old
    /// pages, and replies <see cref="PagesRemapped"/> before it can run again.
    /// </summary>
    public sealed record RemapPages(ImmutableArray<Memory.GuestPageMapping> Mappings);

    public sealed record PagesRemapped(VcpuKey Vcpu);
}
