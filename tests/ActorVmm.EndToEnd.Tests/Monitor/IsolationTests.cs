using ActorVmm.Actors;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using ActorVmm.EndToEnd.Tests.NativeKernel;
using ActorVmm.Memory;
using ActorVmm.Monitor;
using ActorVmm.Monitor.Tracing;
using Xunit;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// A VM reaches only its own memory, and a VM that fails stops alone: the others finish
/// exactly as they would have.
/// </summary>
public sealed class IsolationTests(MonitorGuestsFixture guests) : IClassFixture<MonitorGuestsFixture>
{
    [Fact]
    public void A_tlb_entry_for_a_page_beyond_the_vm_gets_a_bus_error_and_reaches_no_other_vm()
    {
        var run = guests.Run($$"""
            { name = probe, kernel = "{{guests.TlbProbe}}", memory = 4M }
            { name = demo }
            """, physicalCpus: 1, trace: true);
        var probe = run.Result.Vms[0];
        var demo = run.Result.Vms[1];

        // Under the monitor exactly as on the bare board: every probe ends in a bus error
        // (ExcCode 7, DBE) and the kernel powers off with 0 ("no load returned data").
        var native = Native(guests.TlbProbe, 4).Console;
        Assert.Equal(native, probe.Console);
        Assert.Equal(8, probe.Console.Split('\n').Count(l => l.EndsWith(": exception 0x00000007", StringComparison.Ordinal)));
        Assert.Equal(MachineOutcome.PowerOff(0), probe.Outcome);

        // The memory manager refused each of those PPNs: no machine page was ever mapped for them.
        var trace = TraceReader.Open(run.TracePath!);
        var replies = trace.Records.Where(r => r.Kind == TraceKind.MapReply).Select(r => (r.Vm, Reply: TraceEvents.As<MapReplyEvent>(r))).ToList();
        var refused = replies.Where(r => r.Vm == 1 && r.Reply.PageKind == GuestPageKind.OutsideVm).Select(r => r.Reply.Ppn).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (uint)(0x400 + (i * 0x40))).ToHashSet(), refused);
        Assert.DoesNotContain(replies, r => r.Vm == 1 && r.Reply.Ppn >= 0x400 && r.Reply.PageKind == GuestPageKind.Memory);

        // No machine page ever belongs to two VMs at once (a halted VM's pages may serve
        // another VM afterwards; they come back zeroed).
        var owner = new Dictionary<uint, int>();
        foreach (var r in trace.Records)
        {
            if (TraceEvents.Is<MapReplyEvent>(r, out var reply) && reply.PageKind == GuestPageKind.Memory)
            {
                Assert.True(!owner.TryGetValue(reply.Mpn, out int other) || other == r.Vm, $"MPN 0x{reply.Mpn:X} given to vm{r.Vm} while vm{other} holds it");
                owner[reply.Mpn] = r.Vm;
            }
            else if (r.Kind == TraceKind.MemoryReleased)
            {
                foreach (uint mpn in owner.Where(kv => kv.Value == r.Vm).Select(kv => kv.Key).ToList())
                {
                    owner.Remove(mpn);
                }
            }
        }

        Assert.Contains(trace.Records, r => r.Kind == TraceKind.MemoryReleased && r.Vm == 1);

        // The other VM is untouched.
        var demoNative = KernelRun.Boot(guests.Kernel.KernelBytes, "").PoweredOff();
        Assert.Equal(demoNative.Text, demo.Console);
        Assert.Equal(MachineOutcome.PowerOff(0), demo.Outcome);
    }

    [Fact]
    public void A_vm_whose_kernel_crashes_is_stopped_with_a_diagnostic_while_the_others_finish()
    {
        var run = guests.Run($$"""
            { name = crash, kernel = "{{guests.Crash}}", memory = 4M }
            { name = pmake, cmdline = "run=pmake" }
            { name = demo }
            """, physicalCpus: 2);
        var crash = run.Result.Vms[0];

        Assert.Equal(MachineOutcomeKind.ExceptionLoop, crash.Outcome.Kind);
        Assert.Contains("keeps faulting", crash.Outcome.Diagnostic);
        Assert.Contains("0xBFC00380", crash.Outcome.Diagnostic); // the boot vector it never left
        Assert.StartsWith("crash: jumping to 0x12340000", crash.Console);

        Assert.Equal(KernelRun.Boot(guests.Kernel.KernelBytes, "run=pmake").PoweredOff().Text, run.Result.Vms[1].Console);
        Assert.Equal(KernelRun.Boot(guests.Kernel.KernelBytes, "").PoweredOff().Text, run.Result.Vms[2].Console);
        Assert.All(run.Result.Vms.Skip(1), vm => Assert.Equal(MachineOutcome.PowerOff(0), vm.Outcome));
    }

    [Fact]
    public void A_vm_with_a_kernel_that_is_not_an_elf_fails_alone_with_a_message_naming_the_file()
    {
        string bogus = Path.Combine(Path.GetTempPath(), $"not-a-kernel-{Guid.NewGuid():N}.elf");
        File.WriteAllText(bogus, "#!/bin/sh\necho this is not a kernel\n");
        try
        {
            var run = guests.Run($$"""
                { name = bad, kernel = "{{bogus}}" }
                { name = demo }
                """, physicalCpus: 1);

            var bad = run.Result.Vms[0];
            Assert.Equal(MachineOutcomeKind.Crashed, bad.Outcome.Kind);
            Assert.Contains(Path.GetFileName(bogus), bad.FailureReason);
            Assert.Contains("not an ELF", bad.FailureReason);
            Assert.Equal(MachineOutcome.PowerOff(0), run.Result.Vms[1].Outcome);
        }
        finally
        {
            File.Delete(bogus);
        }
    }

    /// <summary>
    /// The machine TLB is filled from the guest's entries, so it must keep the guest's D bit
    /// however an entry gets there: refilled from the L2 TLB (case 1, a 16 MB page, which the
    /// monitor maps 4 KB at a time on use), installed straight from an intercepted TLB write
    /// (case 2), and refilled from the L2 TLB after a machine switch flushed the machine TLB
    /// (case 3: two VMs on one physical CPU, each spinning past a quantum). Every store must
    /// take TLB Modified and leave memory as it was, as on the bare board.
    /// </summary>
    [Fact]
    public void A_store_to_a_read_only_page_takes_tlb_modified_also_after_a_machine_switch()
    {
        var run = guests.Run($$"""
            { name = ro1, kernel = "{{guests.ReadOnly}}", memory = 4M }
            { name = ro2, kernel = "{{guests.ReadOnly}}", memory = 4M }
            """, physicalCpus: 1, trace: true);

        var native = Native(guests.ReadOnly, 4);
        Assert.Equal(3, Lines(native.Console, "store: exception 0x00000001"));
        Assert.Equal(MachineOutcome.PowerOff(0), native.Outcome);
        Assert.All(run.Result.Vms, vm => AssertAsNative(native, vm));

        // Case 3 is what it claims: the page of cases 2 and 3 went into the machine TLB from the
        // TLB write, so only a flush can have taken it out; each VM had it refilled from the L2
        // TLB after its physical CPU had switched to it.
        var records = TraceReader.Open(run.TracePath!).Records.ToList();
        foreach (int vm in new[] { 1, 2 })
        {
            int switchedIn = records.FindIndex(r => r.Vm == vm && r.Kind == TraceKind.MachineSwitch);
            Assert.True(switchedIn >= 0, $"vm{vm} was machine-switched to");
            Assert.Contains(records.Skip(switchedIn), r => r.Vm == vm && TraceEvents.Is<L2TlbRefillEvent>(r, out var e) && e.VirtualAddress == 0x00200000);
        }
    }

    /// <summary>
    /// Physical addresses have 36 bits: a PFN of 0x100000 or more is 4 GB or more, where the
    /// bare board has nothing, and so must the monitor (not the VM's own page 0, nor the device
    /// page 4 GB below). 16 MB and 256 MB pages reach RAM, the bus error past it and the device
    /// page exactly as on the bare board; the memory manager is asked for those PPNs and
    /// refuses them.
    /// </summary>
    [Fact]
    public void Physical_addresses_of_4_GB_and_beyond_and_large_pages_reach_only_what_they_reach_on_the_bare_board()
    {
        var run = guests.Run($$"""{ name = phys, kernel = "{{guests.PhysProbe}}", memory = 4M }""", physicalCpus: 1, trace: true);
        var vm = Assert.Single(run.Result.Vms);

        var native = Native(guests.PhysProbe, 4);
        Assert.Equal(14, Lines(native.Console, ": exception 0x00000007 value 0x00000000"));
        Assert.Contains("load 0x2f000100: exception 0x000000ff value 0x00400000\n", native.Console); // the device page through a 256 MB page
        AssertAsNative(native, vm);

        var replies = TraceReader.Open(run.TracePath!).Records.Where(r => r.Vm == 1 && r.Kind == TraceKind.MapReply)
            .Select(r => TraceEvents.As<MapReplyEvent>(r)).ToList();
        Assert.Equal(
            new uint[] { 0x100000, 0x100001, 0x100002, 0x11F000, 0xFFFFFF }.ToHashSet(),
            replies.Where(r => r.Ppn >= 0x100000).Select(r => r.Ppn).ToHashSet());
        Assert.All(replies.Where(r => r.Ppn >= 0x100000), r => Assert.Equal(GuestPageKind.OutsideVm, r.PageKind));
        Assert.DoesNotContain(replies, r => r.PageKind == GuestPageKind.Memory && r.Ppn >= 0x400);
    }

    /// <summary>
    /// The guest kernel runs in the machine's supervisor mode, which may use ksseg; its user
    /// processes must still run in user mode: every reach into ksseg (the kernel, the device
    /// page's VA), kseg0, kseg1 or kseg3 is an address error with BadVAddr, as on the bare board.
    /// </summary>
    [Fact]
    public void A_user_process_reaching_for_kernel_segments_gets_address_errors_as_on_the_bare_board()
    {
        var run = guests.Run($$"""{ name = user, kernel = "{{guests.UserSeg}}", memory = 4M }""", physicalCpus: 1);
        var vm = Assert.Single(run.Result.Vms);

        var native = Native(guests.UserSeg, 4);
        Assert.Contains("user exception 0x00000004 BadVAddr 0xc0001000\n", native.Console);
        Assert.Contains("user exception 0x00000005 BadVAddr 0xdf000000\n", native.Console);
        Assert.Equal(8, Lines(native.Console, "user exception 0x0000000") - Lines(native.Console, "user exception 0x00000008"));
        Assert.DoesNotContain("!", native.Console);
        AssertAsNative(native, vm);
    }

    /// <summary>
    /// A machine page a powered-off VM wrote serves the next VM zeroed. On a machine memory of
    /// 1 MB (256 pages), vm1 dirties 160 pages and powers off; vm2 waits, then reads 160 fresh
    /// pages of its own, most of which can only be vm1's machine pages: they must read as zeros,
    /// as fresh RAM does.
    /// </summary>
    [Fact]
    public void Machine_pages_a_powered_off_vm_wrote_reach_the_next_vm_zeroed()
    {
        var run = guests.Run($$"""
            { name = first, kernel = "{{guests.ZeroPages}}", memory = 1M }
            { name = second, kernel = "{{guests.ZeroPages}}", memory = 1M, cmdline = late }
            """, physicalCpus: 1, trace: true, extra: "machine.memory = 1M");

        var first = Native(guests.ZeroPages, 1);
        var second = Native(guests.ZeroPages, 1, "late");
        Assert.Contains("pages not zero: 0x00000000\n", second.Console);
        AssertAsNative(first, run.Result.Vms[0]);
        AssertAsNative(second, run.Result.Vms[1]);

        // The pages really were reused: most of vm2's machine pages were vm1's, after vm1 released them.
        var records = TraceReader.Open(run.TracePath!).Records.ToList();
        int released = records.FindIndex(r => r.Vm == 1 && r.Kind == TraceKind.MemoryReleased);
        Assert.True(released >= 0, "vm1's pages were released");
        var firstMpns = records.Take(released).Where(r => r.Vm == 1 && r.Kind == TraceKind.MapReply)
            .Select(r => TraceEvents.As<MapReplyEvent>(r)).Where(m => m.PageKind == GuestPageKind.Memory).Select(m => m.Mpn).ToHashSet();
        var reused = records.Skip(released).Where(r => r.Vm == 2 && r.Kind == TraceKind.MapReply)
            .Select(r => TraceEvents.As<MapReplyEvent>(r)).Count(m => m.Fresh && firstMpns.Contains(m.Mpn));
        Assert.True(reused >= 100, $"vm2 got {reused} of vm1's machine pages");
    }

    /// <summary>
    /// The L2 TLB must match the guest's entries by ASID: a virtual page (4 KB, then 1 MB) in two
    /// address spaces maps two physical pages; a third ASID with no entry takes a refill. A
    /// lookup that ignored the ASID would give one address space the other's page, or refill the
    /// machine TLB with an entry that never matches and make no progress: run first on the
    /// synchronous monitor with a bound in simulated cycles, so that fails at once, then under
    /// the actors.
    /// </summary>
    [Fact]
    public void Two_asids_mapping_one_virtual_page_each_reach_their_own_page()
    {
        var native = Native(guests.Asids, 4);
        Assert.Contains("VA 0x00400000 ASID 0x00000002: exception 0x000000ff value 0x22222222\n", native.Console);
        Assert.Contains("VA 0x00800000 ASID 0x00000002: exception 0x000000ff value 0x33333333\n", native.Console);
        Assert.Equal(4, Lines(native.Console, "ASID 0x00000001: exception 0x000000ff value 0x11111111"));
        Assert.Equal(2, Lines(native.Console, "ASID 0x00000003: exception 0x00000002 value 0x00000000"));

        // Natively 6,500 instructions; under the monitor about 26 times as many simulated cycles
        // (each console byte is a trap): 1,000 times is a bound it can only reach by looping.
        var console = new MemoryStream();
        using (var monitor = new SynchronousMonitor(ElfImage.Parse(File.ReadAllBytes(guests.Asids), "asids.elf"), new BootConfiguration(4u << 20), new StreamSink(console)))
        {
            var outcome = monitor.RunUntil(1000 * native.Instructions);
            string text = System.Text.Encoding.Latin1.GetString(console.ToArray());
            Assert.True(outcome is not null, $"asids made no progress under the synchronous monitor; its console:\n{text}");
            Assert.Equal(native.Outcome, outcome);
            Assert.Equal(native.Console, text);
        }

        var run = guests.Run($$"""{ name = asids, kernel = "{{guests.Asids}}", memory = 4M }""", physicalCpus: 1);
        AssertAsNative(native, Assert.Single(run.Result.Vms));
    }

    /// <summary>The test kernel on the bare board: what every run under the monitor must equal.</summary>
    private static NativeResult Native(string kernel, uint megabytes, string cmdline = "")
    {
        var console = new MemoryStream();
        using var machine = new NativeMachine(ElfImage.Parse(File.ReadAllBytes(kernel), "kernel"), new BootConfiguration(megabytes << 20, cmdline), new StreamSink(console));
        var outcome = machine.Run(10_000_000);
        Assert.Equal(MachineOutcomeKind.PoweredOff, outcome.Kind);
        return new NativeResult(System.Text.Encoding.Latin1.GetString(console.ToArray()), outcome, machine.Statistics().Instructions);
    }

    /// <summary>The VM ran exactly as <paramref name="native"/> did: console, outcome, instructions.</summary>
    private static void AssertAsNative(NativeResult native, VmResult vm)
    {
        Assert.Equal(native.Console, vm.Console);
        Assert.Equal(native.Outcome, vm.Outcome);
        Assert.Equal(native.Instructions, vm.Statistics!.GuestInstructions);
    }

    private static int Lines(string console, string text) => console.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    private sealed record NativeResult(string Console, MachineOutcome Outcome, long Instructions);

    private sealed class StreamSink(Stream stream) : IConsoleSink
    {
        public void Write(byte value) => stream.WriteByte(value);
    }
}
