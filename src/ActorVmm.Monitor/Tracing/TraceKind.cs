namespace ActorVmm.Monitor.Tracing;

/// <summary>What a trace record stands for: a protocol message, or an event local to a vCPU.</summary>
public enum TraceKind : byte
{
    // Physical CPU and scheduler.
    Dispatch = 1,
    Yield = 2,
    MachineSwitch = 3,
    EpochStart = 4,

    // vCPU → trap router.
    Trap = 10,

    // Trap router → vCPU (the decisions), and what the router noted.
    Emulate = 20,
    Reflect = 21,
    ReturnFromTrap = 22,
    Idle = 23,
    DeviceEmulated = 24,
    HandlersRecorded = 25,
    TlbWriteIntercepted = 26,
    MonitorCall = 27,

    // Memory manager.
    MapRequest = 40,
    MapReply = 41,
    MemoryReleased = 42,
    PagesShared = 43,

    // Local to a vCPU: no message, but part of the flows.
    L2TlbRefill = 50,
    Resumed = 51,
    L2GuestRefill = 52,

    // VM lifecycle and console.
    VmStarted = 60,
    ConsoleOutput = 61,
    VmPoweredOff = 62,
    VmCrashed = 63,
}
