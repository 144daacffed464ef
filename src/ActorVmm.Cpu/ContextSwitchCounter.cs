namespace ActorVmm.Cpu;

/// <summary>
/// Counts returns to user mode under a new ASID, the first one included: what a context
/// switch looks like from the hardware. The guest kernel counts switches to another process
/// itself; the two agree, except that a process given a new ASID after the kernel recycled
/// them would count here too.
/// </summary>
public sealed class ContextSwitchCounter
{
    private uint _lastUserAsid = uint.MaxValue;

    public long Count { get; private set; }

    /// <summary>The ASID of the last return to user mode (<see cref="uint.MaxValue"/> before the first).</summary>
    public uint LastUserAsid => _lastUserAsid;

    /// <summary>Continue from a captured count and last ASID.</summary>
    public void Restore(long count, uint lastUserAsid)
    {
        Count = count;
        _lastUserAsid = lastUserAsid;
    }

    /// <summary>After an ERET, with the CP0 state it left.</summary>
    public void Returned(in Cp0State cp0)
    {
        if (cp0.Mode != PrivilegeMode.User)
        {
            return;
        }

        if (cp0.Asid != _lastUserAsid)
        {
            Count++;
            _lastUserAsid = cp0.Asid;
        }
    }
}
