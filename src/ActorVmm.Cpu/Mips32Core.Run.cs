namespace ActorVmm.Cpu;

public sealed unsafe partial class Mips32Core
{
    // Consecutive exception entries with nothing retired before the core calls it a loop:
    // a vector that itself faults would otherwise spin forever without consuming budget.
    private const int ExceptionLoopLimit = 64;

    private ExitKind _exitKind;
    private bool _deliveredNatively;

    /// <summary>
    /// Run until <paramref name="budget"/> instructions have retired, or earlier for the
    /// reasons in <see cref="ExitKind"/>. Under native delivery the core also takes timer
    /// and software interrupts at instruction boundaries, as hardware does.
    /// </summary>
    public RunResult Run(long budget)
    {
        _stopRequested = false;
        long retired = 0;
        int idleEntries = 0;
        while (retired < budget)
        {
            if (Delivery == DeliveryMode.Native && Cp0.InterruptDeliverable)
            {
                DeliverNative(new GuestException(ExcCode.Int, Pc, InDelaySlot, 0, 0));
            }

            long chunk = budget - retired;
            if (Delivery == DeliveryMode.Native && !Cp0.CountStopped)
            {
                // Stop exactly when Count reaches Compare, so the interrupt is taken on the
                // same instruction boundary however the budget was cut.
                uint distance = Cp0.Compare - Cp0.Count;
                long toTimer = distance == 0 ? 1L << 32 : distance;
                if (toTimer < chunk)
                {
                    chunk = toTimer;
                }
            }

            _deliveredNatively = false;
            bool counted = !Cp0.CountStopped;
            long ran = Execute(chunk);
            retired += ran;
            if (Delivery == DeliveryMode.Native && ran > 0 && counted && Cp0.Count == Cp0.Compare)
            {
                Cp0.RaiseTimerInterrupt();
            }

            if (_exitKind != ExitKind.BudgetExhausted)
            {
                return new RunResult(_exitKind, retired);
            }

            if (_deliveredNatively && ran == 0)
            {
                if (++idleEntries >= ExceptionLoopLimit)
                {
                    return new RunResult(ExitKind.ExceptionLoop, retired);
                }
            }
            else
            {
                idleEntries = 0;
            }
        }

        return new RunResult(ExitKind.BudgetExhausted, retired);
    }

    /// <summary>Take an exception the way hardware does: CP0 updated, PC at the vector.</summary>
    public void DeliverNative(in GuestException e)
    {
        _exceptionsByCode[(int)e.Code]++;
        bool exl = (Cp0.Status & StatusBits.EXL) != 0;
        if (e.IsTlbRefill && !exl)
        {
            TlbRefillsDelivered++;
        }

        Profile?.Enter(ServiceProfile.Classify(e, exl), Retired, 0, _gpr[2]);

        uint vector = Cp0.EnterException(e, out var effect);
        Cp0Changed(effect);
        Jump(vector);
        _deliveredNatively = true;
    }
}
