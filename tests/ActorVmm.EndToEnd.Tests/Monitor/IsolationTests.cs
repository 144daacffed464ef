using ActorVmm.Actors;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using ActorVmm.EndToEnd.Tests.NativeKernel;
using ActorVmm.Memory;
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
