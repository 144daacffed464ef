using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using ActorVmm.EndToEnd.Tests.Harness;
using ActorVmm.EndToEnd.Tests.NativeKernel;
using ActorVmm.Host;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// The guests the monitor tests run: the guest kernel (built from source when the cross
/// toolchain is there, as <see cref="KernelImageFixture"/> does) and the small test kernels
/// of guests/testkernels (tlbprobe, crash, costcheck, readonly, physprobe, userseg, zeropages,
/// asids), built fresh by their Makefile.
/// </summary>
public sealed class MonitorGuestsFixture : IDisposable
{
    private readonly string _build = Path.Combine(Path.GetTempPath(), $"actorvmm-monitor-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public MonitorGuestsFixture()
    {
        Kernel = new KernelImageFixture();
        GuestToolchain.RequireTools();
        GuestToolchain.Run("make", ["-C", Path.Combine(RepoRoot.Guests, "testkernels"), $"BUILD={_build}"]);
        TlbProbe = Path.Combine(_build, "testkernels", "tlbprobe.elf");
        Crash = Path.Combine(_build, "testkernels", "crash.elf");
        CostCheck = Path.Combine(_build, "testkernels", "costcheck.elf");
        PvCoherence = Path.Combine(_build, "testkernels", "pvcoherence.elf");
        CowPeek = Path.Combine(_build, "testkernels", "cowpeek.elf");
        ReadOnly = Path.Combine(_build, "testkernels", "readonly.elf");
        PhysProbe = Path.Combine(_build, "testkernels", "physprobe.elf");
        UserSeg = Path.Combine(_build, "testkernels", "userseg.elf");
        ZeroPages = Path.Combine(_build, "testkernels", "zeropages.elf");
        Asids = Path.Combine(_build, "testkernels", "asids.elf");
        KernelFile = Path.Combine(_build, "kernel.elf");
        File.WriteAllBytes(KernelFile, Kernel.KernelBytes);
        PvKernelFile = Path.Combine(_build, "kernel-pv.elf");
        File.WriteAllBytes(PvKernelFile, Kernel.PvKernelBytes);
    }

    public KernelImageFixture Kernel { get; }

    /// <summary>The guest kernel image, as a file the scenario can name.</summary>
    public string KernelFile { get; }

    public string TlbProbe { get; }

    public string Crash { get; }

    /// <summary>Eight instructions with a known cost under the monitor (guests/testkernels/costcheck.S).</summary>
    public string CostCheck { get; }

    /// <summary>The paravirtual kernel image, as a file the scenario can name.</summary>
    public string PvKernelFile { get; }

    /// <summary>Mixes MFC0/MTC0 with the special page's loads and stores (guests/testkernels/pvcoherence.S).</summary>
    public string PvCoherence { get; }

    /// <summary>A writer and a reader VM checking that sharing never leaks a write (guests/testkernels/cowpeek.S).</summary>
    public string CowPeek { get; }
    /// <summary>Stores through read-only TLB entries, before and after a machine switch (guests/testkernels/readonly.S).</summary>
    public string ReadOnly { get; }

    /// <summary>Loads through 36-bit physical addresses and 16 MB / 256 MB pages (guests/testkernels/physprobe.S).</summary>
    public string PhysProbe { get; }

    /// <summary>A user process reaching for ksseg, kseg0/1/3 and the device page's VA (guests/testkernels/userseg.S).</summary>
    public string UserSeg { get; }

    /// <summary>Checks that 160 pages start as zeros, then dirties them; "late" waits first (guests/testkernels/zeropages.S).</summary>
    public string ZeroPages { get; }

    /// <summary>One virtual page mapped to two physical pages under two ASIDs (guests/testkernels/asids.S).</summary>
    public string Asids { get; }

    /// <summary>Run a scenario whose VMs use the guest kernel unless they name another.</summary>
    public MonitorRun Run(string vms, int physicalCpus = 2, bool trace = false, string extra = "") =>
        MonitorRun.Execute(Settings(vms, physicalCpus, trace, extra), SilentConsole.Instance, TimeSpan.FromMinutes(5));

    /// <summary>The scenario <see cref="Run"/> runs, with its own output directory.</summary>
    public MonitorSettings Settings(string vms, int physicalCpus = 2, bool trace = false, string extra = "")
    {
        string output = Path.Combine(_build, "runs", Guid.NewGuid().ToString("N"));
        string hocon = $$"""
            actorvmm {
              machine.physical-cpus = {{physicalCpus}}
              vm-defaults.kernel = "{{KernelFile}}"
              trace.enabled = {{(trace ? "on" : "off")}}
              output.directory = "{{output}}"
              {{extra}}
              vms = [ {{vms}} ]
            }
            """;
        return ScenarioLoader.Load(hocon, "test scenario");
    }

    /// <summary>A new empty directory for one run's output, removed with the fixture.</summary>
    public string ScratchDirectory()
    {
        string output = Path.Combine(_build, "runs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);
        return output;
    }

    public void Dispose()
    {
        Kernel.Dispose();
        try
        {
            Directory.Delete(_build, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
