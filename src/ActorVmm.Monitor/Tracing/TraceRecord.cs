using System.Runtime.InteropServices;

namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// One trace record, 40 bytes little-endian on disk. <see cref="Aux"/> and the three detail
/// words depend on <see cref="Kind"/>: each kind's event type (<see cref="ITraceEvent{TSelf}"/>)
/// encodes and decodes them; read them through it, never by position.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct TraceRecord
{
    public long Sequence;
    public long WallNanoseconds;
    public ushort Vm;
    public byte Vcpu;
    public byte Pcpu;
    public TraceKind Kind;
    public ushort Aux;
    public uint GuestPc;
    public uint D0;
    public uint D1;
    public uint D2;

    public const int Size = 40;

    /// <summary>A TLB-entry half that maps nothing (invalid), where a page number is expected.</summary>
    public const uint NoPage = uint.MaxValue;
}
