using System.Text;

namespace ActorVmm.Cpu.Board;

/// <summary>What the bare board observed while a kernel ran.</summary>
public sealed record MachineStatistics(
    long Instructions,
    long KernelInstructions,
    long UserInstructions,
    IReadOnlyDictionary<ExcCode, long> Exceptions,
    long TlbRefills,
    long IdleCycles,
    long WaitInstructions,
    TimeSpan WallTime,
    ServiceProfileSnapshot Services,
    long ContextSwitches)
{
    public long Interrupts => Exceptions.GetValueOrDefault(ExcCode.Int);

    public long SystemCalls => Exceptions.GetValueOrDefault(ExcCode.Sys);

    public double Mips => WallTime.TotalSeconds > 0 ? Instructions / WallTime.TotalSeconds / 1e6 : 0;

    public string Format()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"instructions       {Instructions,15:N0}  (kernel {KernelInstructions:N0}, user {UserInstructions:N0})");
        sb.AppendLine($"idle cycles        {IdleCycles,15:N0}  ({WaitInstructions:N0} WAITs)");
        sb.AppendLine($"TLB refills        {TlbRefills,15:N0}");
        sb.AppendLine($"interrupts         {Interrupts,15:N0}");
        sb.AppendLine($"system calls       {SystemCalls,15:N0}");
        sb.AppendLine($"context switches   {ContextSwitches,15:N0}  (returns to user mode under a new ASID)");
        sb.AppendLine("exceptions by cause (TLBL/TLBS count refills and invalid entries together):");
        foreach (var (code, count) in Exceptions.OrderBy(e => e.Key))
        {
            string what = code switch
            {
                ExcCode.TlbL => "TLB miss (load/fetch)",
                ExcCode.TlbS => "TLB miss (store)",
                _ => GuestException.Describe(code),
            };
            sb.AppendLine($"  {code,-6} {what,-26} {count,12:N0}");
        }

        sb.AppendLine($"wall time          {WallTime.TotalSeconds,15:F3} s");
        sb.Append($"speed              {Mips,15:F1} MIPS");
        return sb.ToString();
    }
}
