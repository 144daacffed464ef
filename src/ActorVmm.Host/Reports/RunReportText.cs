using System.Text;

namespace ActorVmm.Host.Reports;

/// <summary>The end-of-run report of <c>actorvmm run</c>, as text.</summary>
public static class RunReportText
{
    public static string Format(RunReportModel report)
    {
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine($"== {report.Scenario}: {report.Vms.Count} VMs on {report.PhysicalCpus} physical CPUs: {report.WallSeconds:F2} s wall, " +
            $"{report.GuestMips:F1} guest MIPS, {report.SimulatedCycles:N0} simulated cycles in {report.Epochs} epochs");
        foreach (var vm in report.Vms)
        {
            string outcome = vm.Outcome == "PoweredOff" ? $"powered off, status {vm.ExitStatus}" : $"{vm.Outcome}: {vm.Diagnostic}";
            sb.AppendLine($"{vm.Name} (vm{vm.Id}): {outcome}");
            if (vm.GuestInstructions > 0)
            {
                Details(sb, vm);
            }
        }

        if (report.Vms.Count > 1)
        {
            sb.AppendLine($"total: {report.Total.Outcome}");
            Details(sb, report.Total);
        }

        foreach (var p in report.PhysicalCpuDetails)
        {
            sb.AppendLine($"pcpu{p.Id}: clock {p.Clock:N0}, busy {p.BusyCycles:N0} ({Percent(p.BusyCycles, p.Clock):F1}%), idle {p.IdleCycles:N0}, " +
                $"{p.Dispatches:N0} dispatches, {p.MachineSwitches:N0} machine switches");
        }

        foreach (var n in report.Nodes ?? [])
        {
            long total = n.BusyCycles + n.IdleCycles;
            sb.AppendLine($"{n.Name}: pcpus {string.Join(",", n.PhysicalCpus)} busy {Percent(n.BusyCycles, total):F1}%, idle {Percent(n.IdleCycles, total):F1}%; " +
                $"hosted {n.VmsHosted.Count} VMs; migrations in {n.MigrationsIn} ({n.PagesIn:N0} pages, {n.BytesIn / 1048576.0:F1} MB), " +
                $"out {n.MigrationsOut} ({n.PagesOut:N0} pages, {n.BytesOut / 1048576.0:F1} MB); machine memory peak {Megabytes(n.PeakAllocatedPages)}");
        }

        foreach (var g in report.Migrations ?? [])
        {
            sb.AppendLine($"migration at epoch {g.Epoch} (cycle {g.Cycle:N0}): {g.Vm} {g.From} -> {g.To}, {g.Pages:N0} pages ({g.Bytes / 1048576.0:F2} MB) in {g.WallMilliseconds:F0} ms wall");
        }

        var waited = report.Vms.Where(v => v.AdmittedAtCycle > 0).ToList();
        if (waited.Count > 0)
        {
            sb.AppendLine($"admission: {waited.Count} of {report.Vms.Count} VMs waited for machine memory; the last got in at cycle {waited.Max(v => v.AdmittedAtCycle):N0}");
        }

        var m = report.Memory;
        sb.AppendLine($"machine memory: {Megabytes(m.AllocatedPages)} allocated at the end, peak {Megabytes(m.PeakAllocatedPages)}, of {Megabytes(m.TotalPages)}; " +
            $"page sharing {m.Sharing}");
        sb.AppendLine($"  between epochs, at most: guest memory backed {Megabytes(m.PeakGuestPages)}, machine memory {Megabytes(m.PeakMachinePagesBetweenEpochs)}");
        if (m.Sharing != "off" || m.Vms.Values.Any(v => v.ZeroRequests + v.Released > 0))
        {
            sb.AppendLine($"  shared machine pages at most {m.PeakSharedPages:N0}; content scan: {m.PagesScanned:N0} pages hashed, {m.PagesMerged:N0} merged");
            foreach (var (name, v) in m.Vms)
            {
                sb.AppendLine($"  {name}: guest pages at most {v.PeakGuestPages:N0}, shared at most {v.PeakSharedPages:N0}, copy-on-write breaks {v.CopyOnWriteBreaks:N0}, " +
                    $"merged by the scan {v.Merged:N0}, zero requests {v.ZeroRequests:N0}, pages freed by the guest {v.Released:N0}");
            }
        }

        return sb.ToString();
    }

    private static void Details(StringBuilder sb, VmReport vm)
    {
        var c = vm.Cycles;
        sb.AppendLine($"  guest instructions   {vm.GuestInstructions:N0} (kernel {vm.KernelInstructions:N0}, user {vm.UserInstructions:N0})");
        if (vm.Nodes is { } nodes)
        {
            sb.AppendLine($"  nodes                {string.Join(", ", nodes)}");
        }

        sb.AppendLine($"  simulated cycles     native {c.Native:N0} + monitor {c.Monitor:N0} = {c.Virtualized:N0} (overhead {c.OverheadPercent:F1}%), idle {c.Idle:N0}" +
            (vm.AdmittedAtCycle > 0 ? $"; admitted at cycle {vm.AdmittedAtCycle:N0} (waited for machine memory)" : "") +
            (vm.FinishedAtCycle > 0 ? $"; finished at cycle {vm.FinishedAtCycle:N0}" : ""));
        var mechanisms = vm.Mechanisms.Where(x => x.Cycles > 0).OrderByDescending(x => x.Cycles).Select(x => $"{x.Mechanism} {x.PercentOfNative:F1}%");
        sb.AppendLine($"  monitor by mechanism {string.Join(", ", mechanisms)}");
        sb.AppendLine($"  traps {vm.Traps.Values.Sum(),-14:N0} {string.Join(", ", vm.Traps.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value:N0}"))}");
        var k = vm.Counters;
        sb.AppendLine($"  reflections {k.Reflections:N0}, privileged emulations {k.PrivilegedEmulations:N0}, TLB writes intercepted {k.TlbWritesIntercepted:N0}, " +
            $"L2 TLB hits {k.L2TlbHits:N0}, MPNs allocated {k.MpnsAllocated:N0}, machine switches {k.MachineSwitches:N0}, device emulations {k.DeviceEmulations:N0}, " +
            $"guest context switches {k.GuestContextSwitches:N0}");
        if (k.L2GuestRefills > 0)
        {
            sb.AppendLine($"  L2 TLB (disco)       {k.L2GuestRefills:N0} guest TLB refills done by the monitor: the guest's handler did not run, " +
                $"so it retired {k.L2GuestInstructionsSaved:N0} instructions fewer than on the bare board (its clock advanced as if it had)");
        }

        if (vm.Native is { } n)
        {
            string expected = k.L2GuestRefills > 0 && n.Instructions == vm.GuestInstructions + k.L2GuestInstructionsSaved ? ", the difference is the refills above" : "";
            sb.AppendLine($"  native baseline      {n.Instructions:N0} instructions ({(n.InstructionsMatch ? "equal" : "DIFFERENT" + expected)}), " +
                $"console {(n.ConsoleMatches ? "equal" : "DIFFERENT")}, {n.WallSeconds:F2} s = {n.Mips:F1} MIPS on the bare machine");
        }
    }

    private static string Megabytes(long pages) => $"{pages * 4 / 1024.0:F1} MB";

    private static double Percent(long part, long whole) => whole > 0 ? 100.0 * part / whole : 0;
}
