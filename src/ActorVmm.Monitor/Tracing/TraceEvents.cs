namespace ActorVmm.Monitor.Tracing;

/// <summary>Every kind's typed event, to decode a record whatever its kind.</summary>
public static class TraceEvents
{
    public static string Describe(in TraceRecord r) => r.Kind switch
    {
        TraceKind.Dispatch => DispatchEvent.Decode(r).Describe(),
        TraceKind.Yield => YieldEvent.Decode(r).Describe(),
        TraceKind.MachineSwitch => MachineSwitchEvent.Decode(r).Describe(),
        TraceKind.EpochStart => EpochStartEvent.Decode(r).Describe(),
        TraceKind.Trap => TrapEvent.Decode(r).Describe(),
        TraceKind.Emulate => EmulateEvent.Decode(r).Describe(),
        TraceKind.Reflect => ReflectEvent.Decode(r).Describe(),
        TraceKind.ReturnFromTrap => ReturnFromTrapEvent.Decode(r).Describe(),
        TraceKind.Idle => IdleEvent.Decode(r).Describe(),
        TraceKind.DeviceEmulated => DeviceEmulatedEvent.Decode(r).Describe(),
        TraceKind.HandlersRecorded => HandlersRecordedEvent.Decode(r).Describe(),
        TraceKind.TlbWriteIntercepted => TlbWriteInterceptedEvent.Decode(r).Describe(),
        TraceKind.MonitorCall => MonitorCallEvent.Decode(r).Describe(),
        TraceKind.MapRequest => MapRequestEvent.Decode(r).Describe(),
        TraceKind.MapReply => MapReplyEvent.Decode(r).Describe(),
        TraceKind.MemoryReleased => MemoryReleasedEvent.Decode(r).Describe(),
        TraceKind.PagesShared => PagesSharedEvent.Decode(r).Describe(),
        TraceKind.L2TlbRefill => L2TlbRefillEvent.Decode(r).Describe(),
        TraceKind.Resumed => ResumedEvent.Decode(r).Describe(),
        TraceKind.L2GuestRefill => L2GuestRefillEvent.Decode(r).Describe(),
        TraceKind.VmStarted => VmStartedEvent.Decode(r).Describe(),
        TraceKind.ConsoleOutput => ConsoleOutputEvent.Decode(r).Describe(),
        TraceKind.VmPoweredOff => VmPoweredOffEvent.Decode(r).Describe(),
        TraceKind.VmCrashed => VmCrashedEvent.Decode(r).Describe(),
        _ => r.Kind.ToString(),
    };

    /// <summary>The record as <typeparamref name="T"/>; throws if it is another kind.</summary>
    public static T As<T>(in TraceRecord r)
        where T : struct, ITraceEvent<T>
    {
        if (r.Kind != T.Kind)
        {
            throw new InvalidOperationException($"record {r.Sequence} is a {r.Kind}, not a {T.Kind}");
        }

        return T.Decode(r);
    }

    /// <summary>Whether the record is a <typeparamref name="T"/>, and if so the event.</summary>
    public static bool Is<T>(in TraceRecord r, out T e)
        where T : struct, ITraceEvent<T>
    {
        e = r.Kind == T.Kind ? T.Decode(r) : default;
        return r.Kind == T.Kind;
    }

    /// <summary>The router's decisions on a trap: what ends a trap's round trip.</summary>
    public static bool IsDecision(TraceKind kind) =>
        kind is TraceKind.Emulate or TraceKind.Reflect or TraceKind.ReturnFromTrap or TraceKind.Idle or TraceKind.DeviceEmulated;

    internal static long Wide(uint low, uint high) => (long)(((ulong)high << 32) | low);

    internal static string Page(uint ppn) => ppn == TraceRecord.NoPage ? "-" : $"0x{ppn:X}";
}
