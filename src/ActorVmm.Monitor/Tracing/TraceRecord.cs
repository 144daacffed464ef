using System.Runtime.InteropServices;

namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// One trace record, 48 bytes little-endian on disk. <see cref="Aux"/> and the three detail
/// words depend on <see cref="Kind"/>: each kind's event type (<see cref="ITraceEvent{TSelf}"/>)
/// encodes and decodes them; read them through it, never by position.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct TraceRecord
{
    /// <summary>The order of the records of one file (one node), from 1.</summary>
    public long Sequence;

    /// <summary>
    /// The host's monotonic clock in nanoseconds (CLOCK_MONOTONIC on Linux), so that the files
    /// of several processes on one host share a time axis. Exact, or interpolated on the
    /// recording thread between two exact readings (<see cref="TraceRecordFlags.Interpolated"/>).
    /// </summary>
    public long Nanoseconds;

    /// <summary>Simulated time: the cycle of physical CPU <see cref="Pcpu"/>'s clock, or <see cref="NoCycle"/> where the maker does not know it.</summary>
    public long Cycle;

    public ushort Vm;
    public byte Vcpu;
    public byte Pcpu;
    public TraceKind Kind;
    public TraceRecordFlags Flags;
    public ushort Aux;
    public uint GuestPc;
    public uint D0;
    public uint D1;
    public uint D2;

    public const int Size = 48;

    /// <summary>A TLB-entry half that maps nothing (invalid), where a page number is expected.</summary>
    public const uint NoPage = uint.MaxValue;

    /// <summary>A record made where simulated time is not known (the memory manager, a VM's lifecycle).</summary>
    public const long NoCycle = -1;

    public readonly bool Interpolated => (Flags & TraceRecordFlags.Interpolated) != 0;
}

[Flags]
public enum TraceRecordFlags : byte
{
    None = 0,

    /// <summary><see cref="TraceRecord.Nanoseconds"/> was interpolated, not read from the clock.</summary>
    Interpolated = 1,
}
