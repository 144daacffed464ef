using System.Text;
using ActorVmm.Actors;
using ActorVmm.Cpu.Board;

namespace ActorVmm.Host;

/// <summary>The end-of-run report of <c>actorvmm run</c>.</summary>
public static class RunReport
{
    public static string Format(MonitorResult result)
    {
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine($"== {result.Settings.ScenarioName}: {result.Vms.Count} VMs on {result.Settings.Machine.PhysicalCpus} physical CPUs, {result.WallTime.TotalSeconds:F2} s wall, {result.Epochs} epochs");
        foreach (var vm in result.Vms)
        {
            string outcome = vm.Outcome.Kind == MachineOutcomeKind.PoweredOff ? $"powered off, status {vm.Outcome.ExitStatus}" : $"{vm.Outcome.Kind}: {vm.Outcome.Diagnostic}";
            sb.AppendLine($"{vm.Name} (vm{vm.Id}): {outcome}");
            if (vm.Statistics is { } s)
            {
                sb.AppendLine($"  guest instructions {s.GuestInstructions,15:N0}  (kernel {s.KernelInstructions:N0}, user {s.UserInstructions:N0})");
                sb.AppendLine($"  simulated cycles   {s.ConsumedCycles,15:N0}  (monitor {s.Ledger.Total:N0}, idle {s.IdleCycles:N0})");
                sb.AppendLine($"  traps {s.Traps.Values.Sum():N0}: " + string.Join(", ", s.Traps.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:N0}")));
                sb.AppendLine($"  L2 TLB refills {s.L2TlbHits:N0}");
            }
        }

        foreach (var p in result.PhysicalCpus)
        {
            sb.AppendLine($"pcpu{p.Id}: clock {p.Clock:N0} cycles, busy {p.Counters.BusyCycles:N0}, idle {p.Counters.IdleCycles:N0}, {p.Counters.Dispatches:N0} dispatches, {p.Counters.MachineSwitches:N0} machine switches");
        }

        sb.AppendLine($"machine memory: {result.Memory.AllocatedPages * 4L / 1024.0:F1} MB allocated at the end, peak {result.Memory.PeakAllocatedPages * 4L / 1024.0:F1} MB of {result.Memory.TotalPages * 4L / 1024:N0} MB");
        return sb.ToString();
    }
}
