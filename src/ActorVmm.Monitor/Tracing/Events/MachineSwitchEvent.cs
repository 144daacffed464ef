namespace ActorVmm.Monitor.Tracing;

/// <summary>A physical CPU switches from one VM's machine state to another's (Disco's machine switch).</summary>
public readonly record struct MachineSwitchEvent(int FromVm, int ToVm) : ITraceEvent<MachineSwitchEvent>
{
    public static TraceKind Kind => TraceKind.MachineSwitch;

    public void Encode(ref TraceRecord r)
    {
        r.D0 = (uint)FromVm;
        r.D1 = (uint)ToVm;
    }

    public static MachineSwitchEvent Decode(in TraceRecord r) => new((int)r.D0, (int)r.D1);

    public string Describe() => $"MachineSwitch from vm{FromVm} to vm{ToVm}";
}
