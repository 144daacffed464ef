using System.Globalization;
using System.Text;
using ActorVmm.Actors;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorVmm.Host.Progress;

/// <summary>What one refresh of the progress display shows, and its two renderings.</summary>
/// <param name="Progress">The latest epoch boundary's figures; null while the VMs boot.</param>
/// <param name="Elapsed">Wall time since the run started.</param>
/// <param name="BootPhase">How long the VMs took to boot (<see cref="ProgressState.BootPhase"/>).</param>
/// <param name="Host">This process's memory and GCs.</param>
public sealed record ProgressFrame(
    string Scenario,
    int Vms,
    int PhysicalCpus,
    RunProgress? Progress,
    bool Done,
    TimeSpan Elapsed,
    double Mips,
    double RecentMips,
    TimeSpan? BootPhase = null,
    HostSample? Host = null)
{
    private const int BarWidth = 40;

    /// <summary>One plain line, for logs and for runs that also print VM consoles.</summary>
    public string Line()
    {
        var sb = new StringBuilder(Invariant($"[progress] {Elapsed.TotalSeconds,7:F1} s  "));
        if (Progress is not { } p)
        {
            sb.Append(CultureInfo.InvariantCulture, $"starting {Vms:N0} VMs on {PhysicalCpus} physical CPUs");
            if (Host is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"; host {Host}");
            }

            return sb.ToString();
        }

        if (Done)
        {
            sb.Append("done: ");
        }

        sb.Append(CultureInfo.InvariantCulture, $"halted {p.VmsHalted:N0}/{p.Vms:N0}, running {p.VmsRunning:N0}, booted {p.VmsBooted:N0}{Booting(p)}{Waiting(p)}; ");
        sb.Append(CultureInfo.InvariantCulture, $"epoch {p.Epoch:N0}, {p.SimulatedCycles:N0} cycles; ");
        sb.Append(CultureInfo.InvariantCulture, $"{p.GuestInstructions:N0} guest instructions, {Mips:F1} MIPS");
        if (!Done && !double.IsNaN(RecentMips))
        {
            sb.Append(CultureInfo.InvariantCulture, $" (last 1 s: {RecentMips:F1})");
        }

        if (Host is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; host {Host}");
        }

        return sb.ToString();
    }

    /// <summary>The live display: a header, a bar of halted VMs, and the figures.</summary>
    public IRenderable Renderable()
    {
        var p = Progress;
        int halted = p?.VmsHalted ?? 0;
        int filled = Vms == 0 ? 0 : (int)Math.Round((double)halted * BarWidth / Vms);
        string bar = $"[green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/]";
        string percent = Vms == 0 ? "" : $"{100.0 * halted / Vms,3:F0}%";

        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        grid.AddRow(new Markup($"[bold]{Markup.Escape(Scenario)}[/]"),
            new Markup(Invariant($"{Vms:N0} VMs on {PhysicalCpus} physical CPUs   [dim]{Elapsed.TotalSeconds:F1} s{(Done ? ", done" : "")}[/]")));
        grid.AddRow(new Markup("halted"), new Markup(Invariant($"{bar} {halted:N0}/{Vms:N0} {percent}")));
        if (p is null)
        {
            grid.AddRow(new Markup("VMs"), new Markup(Invariant($"[yellow]starting {Vms:N0} VMs…[/]")));
            AddHost(grid);
            return grid;
        }

        grid.AddRow(new Markup("VMs"), new Markup(Invariant($"booted {p.VmsBooted:N0}{Booting(p)}   running [blue]{p.VmsRunning:N0}[/]   halted [green]{p.VmsHalted:N0}[/]{(p.VmsWaiting > 0 ? $"   waiting for memory [yellow]{p.VmsWaiting:N0}[/]" : "")}")));
        grid.AddRow(new Markup("time"), new Markup(Invariant($"epoch {p.Epoch:N0}   {p.SimulatedCycles:N0} simulated cycles per physical CPU")));
        string recent = Done || double.IsNaN(RecentMips) ? "" : Invariant($"   [bold]{RecentMips:F1}[/] MIPS over the last second");
        grid.AddRow(new Markup("guest"), new Markup(Invariant($"{p.GuestInstructions:N0} instructions   [bold]{Mips:F1}[/] MIPS overall{recent}")));
        AddHost(grid);
        return grid;
    }

    private void AddHost(Grid grid)
    {
        if (Host is { } h)
        {
            grid.AddRow(new Markup("host"), new Markup(Invariant($"RSS {h.WorkingSetBytes / 1e6:N0} MB (peak {h.PeakWorkingSetBytes / 1e6:N0})   GC heap {h.GcHeapBytes / 1e6:N0} MB (peak {h.PeakGcHeapBytes / 1e6:N0})   GCs {h.Gen0}/{h.Gen1}/{h.Gen2}")));
        }
    }

    /// <summary>" in ≈0.27 s (950 VMs/s)": how fast the fleet booted.</summary>
    private string Booting(RunProgress p) => BootPhase is { } boot
        ? Invariant($" in ≈{boot.TotalSeconds:F2} s{(boot > TimeSpan.Zero ? Invariant($" ({p.VmsBooted / boot.TotalSeconds:N0} VMs/s)") : "")}")
        : "";

    /// <summary>", 12 waiting for memory": the admission queue, when there is one.</summary>
    private static string Waiting(RunProgress p) => p.VmsWaiting > 0 ? Invariant($", {p.VmsWaiting:N0} waiting for memory") : "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
