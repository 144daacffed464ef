namespace ActorVmm.Monitor.Tracing;

/// <summary>Trap router → GuestVm: console bytes the guest wrote to its UART.</summary>
public readonly record struct ConsoleOutputEvent(uint Bytes) : ITraceEvent<ConsoleOutputEvent>
{
    public static TraceKind Kind => TraceKind.ConsoleOutput;

    public void Encode(ref TraceRecord r) => r.D0 = Bytes;

    public static ConsoleOutputEvent Decode(in TraceRecord r) => new(r.D0);

    public string Describe() => $"ConsoleOutput {Bytes} bytes";
}
