using ActorVmm.Cpu;

namespace ActorVmm.Monitor;

/// <summary>
/// The paravirtual interface a guest kernel may use (docs/HYPERCALLS.md; the guest's side is
/// guests/kernel/include/pv.h): how it finds the monitor, the special page's layout, and the
/// monitor calls' encoding.
/// </summary>
public static class ParavirtualAbi
{
    /// <summary>The device-page register the monitor answers; it reads 0 on the bare board.</summary>
    public const uint SysMonitorOffset = 0x10C;

    /// <summary>"AVM1": this ABI, version 1.</summary>
    public const uint Magic = 0x314D5641;

    /// <summary>The area a guest registers: the special page, then its console buffer.</summary>
    public const int AreaPages = 2;

    public const int ConsoleBytes = 4096;

    /// <summary>Monitor calls are <c>syscall (CodeBase + n)</c> executed in the guest's kernel mode.</summary>
    public const uint CodeBase = 0xD1500;

    /// <summary>
    /// Registers kept in the special page, one word at 4 × the register number (select 0).
    /// Count is not (it changes every instruction); the guest reads it with MFC0.
    /// </summary>
    public static ReadOnlySpan<int> Published =>
    [
        Cp0Register.Index, Cp0Register.Random, Cp0Register.EntryLo0, Cp0Register.EntryLo1, Cp0Register.Context,
        Cp0Register.PageMask, Cp0Register.Wired, Cp0Register.BadVAddr, Cp0Register.EntryHi, Cp0Register.Compare,
        Cp0Register.Status, Cp0Register.Cause, Cp0Register.EPC,
    ];

    /// <summary>
    /// Registers the guest may write with a store to the page, taken in at the next trap:
    /// those whose write has no effect before a trap the kernel always reaches (a TLB
    /// instruction, an ERET). Compare, Cause and Status writes that may enable an interrupt stay MTC0.
    /// </summary>
    public static ReadOnlySpan<int> Absorbed =>
    [
        Cp0Register.Index, Cp0Register.EntryLo0, Cp0Register.EntryLo1, Cp0Register.PageMask, Cp0Register.EntryHi,
        Cp0Register.Status, Cp0Register.EPC,
    ];

    /// <summary>Where a select-0 register (<see cref="Cp0Register"/>'s encoding) lives in the special page.</summary>
    public static ulong OffsetOf(int register) => (ulong)(4 * (register >> 3));

    /// <summary>The monitor call a SYSCALL names, if its code is one.</summary>
    public static bool TryDecode(uint syscallInstruction, out MonitorCall call)
    {
        uint code = (syscallInstruction >> 6) & 0xFFFFF;
        uint n = code - CodeBase;
        call = (MonitorCall)n;
        return n is >= (uint)MonitorCall.Register and <= (uint)MonitorCall.RefillReturn;
    }
}
