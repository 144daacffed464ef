using System.Text;
using ActorVmm.Monitor;

namespace ActorVmm.Host.Reports;

/// <summary>
/// The run in the form of the Disco paper's overhead figures (SOSP '97): Figure 5, execution
/// time with native = 100 split by where the time went, and Table 2, the slowdown of each
/// kernel service. VMs that ran the same workload (the same command line) stand side by side,
/// one column per way of running it (the unmodified or the paravirtual kernel, with the exact
/// or Disco's L2 TLB), against the unmodified kernel on the bare board; Disco's published
/// numbers stand beside ours where a workload or service corresponds (the brief quotes them).
/// </summary>
public static class DiscoTables
{
    private static readonly Dictionary<string, double> DiscoFigure5 = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pmake"] = 116, ["engineering"] = 106, ["raytrace"] = 103, ["database"] = 116,
    };

    private const string FastRefill = "fast TLB refill (done by the L2 TLB)";

    private static readonly Dictionary<string, double> DiscoTable2Pmake = new(StringComparer.Ordinal)
    {
        [ServiceNames.Of(Cpu.Service.TlbRefill)] = 3.17,
        [FastRefill] = 1.35,
        [ServiceNames.Of(Cpu.Service.PageFault)] = 1.42, // demand-zero page fault
        ["  write()"] = 2.14,
        ["  read()"] = 1.53,
        ["  open()"] = 1.63,
    };

    private static readonly (Mechanism Mechanism, string Column)[] Columns =
    [
        (Mechanism.TrapEntryExit, "trap"),
        (Mechanism.Reflection, "reflect"),
        (Mechanism.PrivilegedEmulation, "emulate"),
        (Mechanism.TlbWriteInterception, "tlbw"),
        (Mechanism.L2TlbRefill, "L2tlb"),
        (Mechanism.MpnAllocation, "mpn"),
        (Mechanism.MachineSwitch, "switch"),
        (Mechanism.TlbFlush, "flush"),
        (Mechanism.DeviceEmulation, "device"),
        (Mechanism.MonitorCall, "mcall"),
        (Mechanism.SpecialPage, "spage"),
        (Mechanism.CopyOnWrite, "cow"),
    ];

    /// <summary>How a VM ran its workload, the column it goes in: "unmodified, exact L2" or "paravirtual, disco L2".</summary>
    public static string WayOf(VmReport vm) =>
        $"{(vm.Counters.Paravirtual ? "paravirtual" : "unmodified")}, {vm.Counters.L2TlbMode.ToLowerInvariant()} L2";

    public static string Format(RunReportModel report)
    {
        var groups = Groups(report);
        var ways = groups.SelectMany(g => g.Vms.Select(WayOf)).Distinct().ToList();
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("Figure 5 form: execution time in simulated cycles, native = 100 (the unmodified kernel on the bare board)");
        sb.Append($"{"workload",-14} {"native",7}");
        foreach (string way in ways)
        {
            sb.Append($" {way,24}");
        }

        sb.AppendLine($" {"Disco",6} {"paravirtual natively",21}");
        foreach (var g in groups)
        {
            sb.Append($"{g.Name,-14} {100,7:F1}");
            foreach (string way in ways)
            {
                var vm = g.Vms.FirstOrDefault(v => WayOf(v) == way);
                sb.Append(vm is null ? $" {"",24}" : $" {Percent(Cycles(vm), g.NativeCycles),24:F1}");
            }

            string disco = DiscoFigure5.TryGetValue(g.Name, out double d) ? $"{d,6:F0}" : $"{"",6}";
            var pvNative = g.Vms.FirstOrDefault(v => v.Counters.Paravirtual && v.Native is not null)?.Native;
            sb.AppendLine($" {disco} {(pvNative is null ? "" : $"{Percent(NativeCycles(pvNative, report), g.NativeCycles),21:F1}")}");
        }

        sb.AppendLine();
        sb.AppendLine("Where the time went, per VM (native = 100, as above)");
        sb.Append($"{"vm",-16} {"way",-24} {"total",7} | {"user",6} {"kernel",6} {"idle",6} |");
        foreach (var (_, column) in Columns)
        {
            sb.Append($" {column,7}");
        }

        sb.AppendLine();
        long cpi = CyclesPerInstruction(report);
        foreach (var g in groups)
        {
            foreach (var vm in g.Vms)
            {
                double Pct(double cycles) => Percent(cycles, g.NativeCycles);
                sb.Append($"{vm.Name,-16} {WayOf(vm),-24} {Pct(Cycles(vm)),7:F1} | {Pct(vm.UserInstructions * cpi),6:F1} {Pct(vm.KernelInstructions * cpi),6:F1} {Pct(vm.Cycles.Idle),6:F1} |");
                foreach (var (mechanism, _) in Columns)
                {
                    sb.Append($" {Pct(vm.Mechanisms.FirstOrDefault(m => m.Mechanism == mechanism.ToString())?.Cycles ?? 0),7:F1}");
                }

                sb.AppendLine();
            }
        }

        if (report.Vms.Any(v => v.Counters.L2GuestRefills > 0))
        {
            sb.AppendLine("(With the disco L2 TLB the guest retires fewer instructions than natively: its refill handler does not run for the refills the monitor does; \"user\" and \"kernel\" are what it retired.)");
        }

        FormatTable2(sb, groups, ways);
        if (report.Vms.Any(v => v.Native is { ConsoleMatches: false } || (v.Native is { InstructionsMatch: false } n && n.Instructions != v.GuestInstructions + v.Counters.L2GuestInstructionsSaved)))
        {
            sb.AppendLine("WARNING: a VM did not match its native run; see the report above.");
        }

        return sb.ToString();
    }

    private static void FormatTable2(StringBuilder sb, IReadOnlyList<Group> groups, List<string> ways)
    {
        sb.AppendLine();
        sb.AppendLine("Table 2 form: kernel services, simulated cycles per event (guest instructions inside the service plus the monitor's cycles under it), slowdown against native");
        sb.Append($"{"workload",-14} {"service",-38} {"native",9}");
        foreach (string way in ways)
        {
            sb.Append($" {way,32}");
        }

        sb.AppendLine($" {"Disco pmake",11}");
        foreach (var g in groups)
        {
            var services = g.Vms.SelectMany(Services).Select(s => s.Service).Distinct().ToList();
            foreach (string service in services)
            {
                var reference = g.Vms.SelectMany(v => Services(v).Where(s => s.Service == service)).FirstOrDefault(s => s.NativeCyclesPerEvent > 0);
                double native = Services(g.Reference).FirstOrDefault(s => s.Service == service)?.NativeCyclesPerEvent ?? reference?.NativeCyclesPerEvent ?? 0;
                sb.Append($"{g.Name,-14} {service,-38} {native,9:F1}");
                foreach (string way in ways)
                {
                    var row = g.Vms.Where(v => WayOf(v) == way).SelectMany(Services).FirstOrDefault(s => s.Service == service);
                    sb.Append(row is null ? $" {"-",32}" : $" {$"{row.Count:N0} x {row.VirtualizedCyclesPerEvent:F1} = {row.VirtualizedCyclesPerEvent / Math.Max(native, 1e-9):F2}x",32}");
                }

                string disco = g.Name.Equals("pmake", StringComparison.OrdinalIgnoreCase) && DiscoTable2Pmake.TryGetValue(service, out double d) ? $"{d,10:F2}x" : "";
                sb.AppendLine($" {disco}");
            }
        }
    }

    /// <summary>A VM's services, with the refills the disco L2 TLB did for the guest as a service of their own.</summary>
    private static IEnumerable<ServiceReport> Services(VmReport vm)
    {
        foreach (var s in vm.Services)
        {
            yield return s;
        }

        var c = vm.Counters;
        if (c.L2GuestRefills > 0)
        {
            var l2 = vm.Mechanisms.First(m => m.Mechanism == nameof(Mechanism.L2TlbRefill));
            double native = (double)c.L2GuestInstructionsSaved / c.L2GuestRefills;
            double virtualized = l2.Events > 0 ? (double)l2.Cycles / l2.Events : 0;
            yield return new ServiceReport(FastRefill, c.L2GuestRefills, 0, (long)(virtualized * c.L2GuestRefills), native, virtualized, virtualized / native);
        }
    }

    private sealed record Group(string Name, IReadOnlyList<VmReport> Vms, VmReport Reference, double NativeCycles);

    /// <summary>VMs by workload; the reference is the one with the unmodified kernel (its native run is 100).</summary>
    private static List<Group> Groups(RunReportModel report)
    {
        long cpi = CyclesPerInstruction(report);
        return report.Vms
            .Where(v => v.GuestInstructions > 0)
            .GroupBy(v => v.CommandLine)
            .Select(g =>
            {
                var vms = g.ToList();
                var reference = vms.FirstOrDefault(v => !v.Counters.Paravirtual && v.Native is not null) ?? vms.FirstOrDefault(v => v.Native is not null) ?? vms[0];
                double native = reference.Native is { } n ? (n.Instructions * cpi) + n.IdleCycles : reference.Cycles.Native + reference.Cycles.Idle;
                return new Group(WorkloadName(reference), vms, reference, native);
            })
            .ToList();
    }

    /// <summary>The workload's name: the VM's, without a suffix saying how it ran ("pmake-pv" → "pmake").</summary>
    private static string WorkloadName(VmReport vm)
    {
        int dash = vm.Name.IndexOf('-');
        return dash > 0 ? vm.Name[..dash] : vm.Name;
    }

    private static long CyclesPerInstruction(RunReportModel report)
    {
        var vm = report.Vms.FirstOrDefault(v => v.GuestInstructions > 0);
        return vm is null ? 1 : Math.Max(1, vm.Cycles.Native / vm.GuestInstructions);
    }

    private static double Cycles(VmReport vm) => vm.Cycles.Virtualized + vm.Cycles.Idle;

    private static double NativeCycles(NativeReport native, RunReportModel report) => (native.Instructions * CyclesPerInstruction(report)) + native.IdleCycles;

    private static double Percent(double part, double whole) => whole > 0 ? 100.0 * part / whole : 0;
}
