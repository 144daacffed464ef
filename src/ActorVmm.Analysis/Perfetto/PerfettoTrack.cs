namespace ActorVmm.Analysis;

/// <summary>Where a Perfetto event goes: a track (a "thread") of a node's process.</summary>
public enum TrackKind
{
    /// <summary>The node's monitor: epochs.</summary>
    Monitor,

    /// <summary>A physical CPU: the quanta it ran, machine switches.</summary>
    PhysicalCpu,

    /// <summary>A VM's vCPU: its quanta and, inside, its traps.</summary>
    Vcpu,

    /// <summary>A VM's trap router: its decisions.</summary>
    Router,

    /// <summary>The node's memory manager: map requests and replies.</summary>
    MemoryManager,
}

/// <summary>One track: a node (process), what it is, and whose (physical CPU, or VM and vCPU).</summary>
public readonly record struct PerfettoTrack(int Node, TrackKind Kind, int Vm = 0, int Index = 0)
{
    public int Pid => Node + 1;

    /// <summary>A thread id per track, in the order the UI lists them.</summary>
    public int Tid => Kind switch
    {
        TrackKind.Monitor => 1,
        TrackKind.PhysicalCpu => 10 + Index,
        TrackKind.Vcpu => 100_000 + (Vm * 1000) + Index,
        TrackKind.Router => 100_000 + (Vm * 1000) + 999,
        _ => 99_000_000,
    };
}
