using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>
/// The monitor's trap handler as a pure function: given a trap and the guest's virtual CP0,
/// emulate the privileged instruction on the virtual CP0 (<see cref="PrivilegedEmulation"/>),
/// or reflect the exception to the vector the guest installed through EBase
/// (<see cref="Reflection"/>). Device accesses need the VM's device state and are decided by
/// <see cref="DeviceEmulation"/>.
/// </summary>
public static class TrapEmulator
{
    public static TrapDecision Decide(TrapRequest request)
    {
        var e = request.Exception;
        return request.Kind switch
        {
            TrapKind.Interrupt => Reflection.Reflect(request.Cp0, new GuestException(ExcCode.Int, e.Pc, e.InDelaySlot, 0, 0)),
            TrapKind.GuestTlb => Reflection.Reflect(request.Cp0, e),
            TrapKind.Exception when e.Code == ExcCode.CpU && e.CoprocessorUnit == 0 => PrivilegedEmulation.Emulate(request),
            TrapKind.Exception => Reflection.Reflect(request.Cp0, e),
            _ => throw new ArgumentException($"{request.Kind} traps are decided with the VM's devices", nameof(request)),
        };
    }
}
