using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>
/// Reflecting a guest exception: exception entry on the virtual CP0, exactly as the hardware
/// would do it (EPC, Cause, BadVAddr, EXL), and the guest kernel's own vector as the place
/// to continue.
/// </summary>
public static class Reflection
{
    public static Reflected Reflect(Cp0State cp0, GuestException e)
    {
        uint vector = cp0.EnterException(e, out _);
        return new Reflected(e, cp0, vector);
    }
}
