using System.Text;

namespace ActorVmm.Host.Reports;

/// <summary>
/// Disco's memory table (SOSP '97, the eight-pmake-VM data-sharing figure: 77 MB of guest
/// memory in 38 MB of machine memory): the memory the VMs use as guests against the machine
/// memory that backs it, with and without transparent page sharing. Without sharing every
/// backed guest page has a machine page of its own, so one run gives both columns. Figures
/// are the peaks sampled between epochs, when every VM is at the same simulated time, so they
/// are the same on every run.
/// </summary>
public static class SharingTable
{
    public static string Format(RunReportModel report)
    {
        var m = report.Memory;
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine($"Memory, Disco's form: guest memory against machine memory, peaks between epochs (page sharing: {m.Sharing})");
        sb.AppendLine($"{"",-30} {"guest memory",16} {"machine memory",16} {"machine / guest",16}");
        sb.AppendLine($"{"without sharing",-30} {Size(m.PeakGuestPages),16} {Size(m.PeakGuestPages),16} {100.0,15:F0}%");
        double ratio = m.PeakGuestPages > 0 ? 100.0 * m.PeakMachinePagesBetweenEpochs / m.PeakGuestPages : 0;
        sb.AppendLine($"{"with sharing",-30} {Size(m.PeakGuestPages),16} {Size(m.PeakMachinePagesBetweenEpochs),16} {ratio,15:F0}%   ({100 - ratio:F0} % less)");
        sb.AppendLine($"{"Disco, 8 pmake VMs",-30} {"77 MB",16} {"38 MB",16} {100.0 * 38 / 77,15:F0}%   ({100 - (100.0 * 38 / 77):F0} % less)");
        sb.AppendLine();
        sb.AppendLine($"{"vm",-16} {"guest pages",12} {"shared",8} {"cow breaks",11} {"merged",8} {"zeroed",8} {"freed",8}   (at most / over the run)");
        foreach (var (name, v) in m.Vms)
        {
            sb.AppendLine($"{name,-16} {v.PeakGuestPages,12:N0} {v.PeakSharedPages,8:N0} {v.CopyOnWriteBreaks,11:N0} {v.Merged,8:N0} {v.ZeroRequests,8:N0} {v.Released,8:N0}");
        }

        sb.AppendLine($"machine pages shared at most {m.PeakSharedPages:N0}; the content scan hashed {m.PagesScanned:N0} pages and merged {m.PagesMerged:N0}");
        return sb.ToString();
    }

    private static string Size(long pages) => $"{pages:N0} p = {pages * 4 / 1024.0:F2} MB";
}
