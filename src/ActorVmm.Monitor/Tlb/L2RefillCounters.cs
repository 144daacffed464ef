namespace ActorVmm.Monitor;

/// <summary>
/// Guest TLB refills the monitor did itself from the L2 TLB's history (<see cref="L2TlbMode.Disco"/>):
/// how many, and how many guest instructions the guest's own handler would have retired for
/// them (its clock advanced by as many). Disco's "fast TLB refill" in Table 2.
/// </summary>
public sealed class L2RefillCounters
{
    public long Refills { get; private set; }

    public long GuestInstructionsSaved { get; private set; }

    public void Count(long guestInstructions)
    {
        Refills++;
        GuestInstructionsSaved += guestInstructions;
    }
}
