using ActorVmm.Cpu.Board;
using ActorVmm.EndToEnd.Tests.NativeKernel;
using ActorVmm.Host.Reports;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// Transparent page sharing: machine pages shared copy-on-write between VMs (boot images from
/// the start, identical pages found by the content scan, the paravirtual kernel's zero page)
/// save machine memory, and a write by one VM is never seen by another: each guest still
/// prints exactly what it prints on the bare board.
/// </summary>
public sealed class PageSharingTests(MonitorGuestsFixture guests, ITestOutputHelper output) : IClassFixture<MonitorGuestsFixture>
{
    private const string Sharing = "monitor.page-sharing { images = on, content = on }";

    [Fact]
    public void A_write_to_a_shared_page_is_never_seen_by_the_other_vm()
    {
        // Both VMs write the same word into a page of zeros (then merged by the scan), then the
        // writer writes that page and a word of the kernel image both VMs share from the start.
        var run = guests.Run($$"""
            { name = writer, cmdline = "w", kernel = "{{guests.CowPeek}}", memory = 1M }
            { name = reader, cmdline = "r", kernel = "{{guests.CowPeek}}", memory = 1M }
            """, physicalCpus: 2, extra: Sharing);
        var writer = run.Result.Vms.Single(v => v.Name == "writer");
        var reader = run.Result.Vms.Single(v => v.Name == "reader");
        var memory = run.Result.Memory;

        output.WriteLine(writer.Console + reader.Console);
        Assert.Equal(MachineOutcome.PowerOff(0), writer.Outcome);
        Assert.Equal(MachineOutcome.PowerOff(0), reader.Outcome);
        Assert.Contains("zero-page word 0x33333333, image word 0x11111111", reader.Console);
        Assert.Contains("zero-page word 0x44444444, image word 0x22222222", writer.Console);

        // The pages were shared when written: the scan merged the two zero-page copies, and the
        // writer broke copy-on-write on the image page and on the merged page.
        Assert.True(memory.PagesMerged >= 1, $"merged {memory.PagesMerged}");
        Assert.True(memory.Vms[1].CopyOnWriteBreaks >= 3, $"writer's breaks {memory.Vms[1].CopyOnWriteBreaks}");
        Assert.Equal(0u, memory.AllocatedPages); // both powered off: every page went back
    }

    [Fact]
    public void Eight_pmake_vms_share_their_images_and_print_what_they_print_alone_on_the_bare_board()
    {
        const string cmdline = "run=pmake:4:6";
        var native = KernelRun.Boot(guests.Kernel.PvKernelBytes, cmdline).PoweredOff();
        string vms = string.Join("\n", Enumerable.Range(1, 8).Select(i => $$"""{ name = "pmake{{i}}", cmdline = "{{cmdline}}", kernel = "{{guests.PvKernelFile}}", l2-tlb = disco }"""));

        var first = guests.Run(vms, physicalCpus: 8, extra: Sharing);
        var second = guests.Run(vms, physicalCpus: 8, extra: Sharing);

        foreach (var vm in first.Result.Vms)
        {
            Assert.Equal(native.Text, vm.Console);
        }

        var memory = first.Result.Memory;
        output.WriteLine(SharingTable.Format(RunReportBuilder.Build(first.Result)));
        Assert.True(memory.PeakAllocatedBetweenEpochs * 2 < memory.PeakGuestPages,
            $"machine {memory.PeakAllocatedBetweenEpochs} pages for {memory.PeakGuestPages} guest pages: less than half expected");
        Assert.All(memory.Vms.Values, v => Assert.True(v.PeakSharedPages > 0 && v.CopyOnWriteBreaks > 0 && v.ZeroRequests > 0));

        // Reproducible: the scan and the samples happen between epochs, in simulated time.
        Assert.Equal(SharingTable.Format(RunReportBuilder.Build(first.Result)), SharingTable.Format(RunReportBuilder.Build(second.Result)));
    }

    [Fact]
    public void Unmodified_kernels_sharing_their_images_print_what_they_print_on_the_bare_board()
    {
        string[] cmdlines = ["run=pmake:2:4", "run=raytrace:64:24", "run=engineering:256:1", "run=compute,syscalls,memory"];
        var run = guests.Run(string.Join("\n", cmdlines.Select((c, i) => $$"""{ name = "vm{{i}}", cmdline = "{{c}}", memory = 4M }""")),
            physicalCpus: 2, extra: "monitor.page-sharing.images = on");

        for (int i = 0; i < cmdlines.Length; i++)
        {
            var native = KernelRun.Boot(guests.Kernel.KernelBytes, cmdlines[i], memoryMegabytes: 4).PoweredOff();
            Assert.Equal(native.Text, run.Result.Vms[i].Console);
            Assert.Equal(native.Stats.Instructions, run.Result.Vms[i].Statistics!.GuestInstructions);
        }

        // The kernel image (84 pages, 76 of them never written) is in machine memory once, not
        // once per VM (the peaks are sampled between epochs, when the short VMs may have ended).
        var memory = run.Result.Memory;
        output.WriteLine($"machine {memory.PeakAllocatedBetweenEpochs} pages for {memory.PeakGuestPages} guest pages, {memory.PeakSharedPages} shared");
        Assert.True(memory.PeakSharedPages >= 70, $"{memory.PeakSharedPages} shared machine pages");
        Assert.True(memory.PeakAllocatedBetweenEpochs + (2 * 70) <= memory.PeakGuestPages,
            $"machine {memory.PeakAllocatedBetweenEpochs} pages for {memory.PeakGuestPages} guest pages");
    }
}
