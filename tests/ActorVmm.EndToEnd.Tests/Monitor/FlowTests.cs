using ActorVmm.Monitor.Tracing;
using ActorVmm.Cpu;
using ActorVmm.Monitor;
using ActorVmm.Memory;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// The seed's two figures, "SYSCALL FLOW WITH VIRTUALIZATION" and "TLB MISS FLOW WITH
/// VIRTUALIZATION", as the message trace of a real guest shows them.
/// </summary>
public sealed class FlowTests : IClassFixture<MonitorGuestsFixture>
{
    private readonly TraceReader _trace;
    private readonly ITestOutputHelper _output;

    public FlowTests(MonitorGuestsFixture guests, ITestOutputHelper output)
    {
        _output = output;
        var run = guests.Run("""{ name = pmake, cmdline = "run=pmake" }""", physicalCpus: 1, trace: true);
        _trace = TraceReader.Open(run.TracePath!);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(400)]
    public void A_user_system_call_is_trap_reflect_guest_handler_trap_eret_return(int ordinal)
    {
        var flow = TraceAnalysis.Flow(_trace, 1, FlowKind.Syscall, ordinal).ToList();
        _output.WriteLine(TraceAnalysis.Format(_trace, flow));

        // 1. trap: the process's SYSCALL reaches the monitor.
        var trap = flow[0];
        Assert.Equal(TraceKind.Trap, trap.Kind);
        Assert.Equal(ExcCode.Sys, TraceEvents.As<TrapEvent>(trap).Code);
        Assert.True(trap.GuestPc < 0x80000000, "made by a user process");

        // 2. "oh, a trap! call OS trap handler": reflected to the vector the guest installed.
        var reflect = TraceEvents.As<ReflectEvent>(flow[1]);
        Assert.Equal(ExcCode.Sys, reflect.Code);
        Assert.Equal(GeneralVector(), reflect.Vector);
        Assert.Equal(trap.GuestPc, reflect.Epc);

        // 3. the guest's handler runs in its kernel (whatever the system call does: console
        //    output, page faults, a context switch): only its privileged instructions and device
        //    accesses reach the monitor, until it tries to return from the trap.
        int eret = flow.FindLastIndex(r => TraceEvents.Is<TrapEvent>(r, out var t) && t.Name == "eret");
        Assert.True(eret > 2, "the handler ends with an ERET trap");
        AssertGuestKernelAtWork(flow.Skip(2).Take(eret - 2));

        // 4. "oh, a return from trap! do a real return from trap", to user mode.
        var retRecord = flow[eret + 1];
        var ret = TraceEvents.As<ReturnFromTrapEvent>(retRecord);
        Assert.Equal(PrivilegeMode.User, ret.Mode);
        Assert.True(ret.Target < 0x80000000);

        // 5. the process starts running again where the kernel said: its instruction retires,
        //    unless it faults at once (a process switched to on a page not yet in the TLB),
        //    which is the next flow's first trap.
        if (flow.Count == eret + 2)
        {
            var next = _trace.Records.First(r => r.Vm == 1 && r.Sequence > retRecord.Sequence && r.Kind == TraceKind.Trap);
            Assert.Equal(ret.Target, next.GuestPc);
            Assert.NotEqual(TrapKind.Exception, TraceEvents.As<TrapEvent>(next).TrapKind);
            return;
        }

        var resumed = TraceEvents.As<ResumedEvent>(flow[eret + 2]);
        Assert.Equal(ret.Target, resumed.Pc);
        Assert.Equal(eret + 3, flow.Count);
    }

    [Fact]
    public void System_calls_that_do_not_switch_process_return_to_the_instruction_after_the_syscall()
    {
        int total = Math.Min(300, TraceAnalysis.CountFlows(_trace, 1, FlowKind.Syscall));
        int sameProcess = 0;
        for (int k = 1; k <= total; k++)
        {
            var flow = TraceAnalysis.Flow(_trace, 1, FlowKind.Syscall, k);
            bool switched = flow.Any(r => TraceEvents.Is<EmulateEvent>(r, out var em) && em.Op == PrivilegedOp.Mtc0 && em.Register == Cp0Register.EntryHi);
            var ret = flow.Where(r => r.Kind == TraceKind.ReturnFromTrap).Select(r => TraceEvents.As<ReturnFromTrapEvent>(r)).Single(rt => rt.Mode == PrivilegeMode.User);
            if (!switched)
            {
                Assert.Equal(flow[0].GuestPc + 4, ret.Target);
                sameProcess++;
            }
        }

        Assert.True(sameProcess > total / 2, $"{sameProcess} of {total} system calls returned to the same process");
    }

    /// <summary>What the monitor sees while the guest kernel handles a trap: no reflection or return of its own.</summary>
    private static void AssertGuestKernelAtWork(IEnumerable<TraceRecord> records)
    {
        foreach (var r in records)
        {
            switch (r.Kind)
            {
                case TraceKind.Trap or TraceKind.Emulate or TraceKind.DeviceEmulated or TraceKind.TlbWriteIntercepted or TraceKind.L2TlbRefill or TraceKind.MapRequest:
                    Assert.True(r.GuestPc >= 0xC0000000, $"in the guest kernel: {TraceEvents.Describe(r)} at 0x{r.GuestPc:X8}");
                    break;
                case TraceKind.MapReply or TraceKind.ConsoleOutput:
                    break;
                default:
                    Assert.Fail($"not part of a guest handler's work: {TraceEvents.Describe(r)}");
                    break;
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(25)]
    [InlineData(250)]
    public void A_tlb_miss_the_l2_tlb_cannot_serve_follows_the_seven_steps(int ordinal)
    {
        var flow = TraceAnalysis.Flow(_trace, 1, FlowKind.TlbMiss, ordinal).ToList();
        _output.WriteLine(TraceAnalysis.Format(_trace, flow));
        int step = 0;

        // 1. load (or store) from memory, TLB miss: trap into the monitor.
        var miss = TraceEvents.As<TrapEvent>(flow[step++]);
        Assert.Equal(TrapKind.GuestTlb, miss.TrapKind);
        Assert.True(miss.IsTlbRefill);
        uint badVAddr = miss.BadVAddr;

        // 2. the monitor calls into the OS's TLB miss handler (the refill vector, EXL was clear).
        var reflect = TraceEvents.As<ReflectEvent>(flow[step++]);
        Assert.Equal(RefillVector(), reflect.Vector);

        // 3. the OS's handler looks up its page table and tries to update the TLB.
        int tlbwr = flow.FindIndex(r => TraceEvents.Is<TrapEvent>(r, out var t) && t.Name == "tlbwr");
        Assert.True(tlbwr >= step);
        AssertGuestKernelAtWork(flow.Skip(step).Take(tlbwr - step));
        step = tlbwr + 1;

        // 4. the monitor sees VPN->PPN, makes it VPN->MPN through the memory manager, and jumps
        //    back to the OS as if the instruction had worked. The memory manager is asked the
        //    first time the VM uses the page; later the vCPU passes on its earlier answer.
        var intercepted = TraceEvents.As<TlbWriteInterceptedEvent>(flow[step++]);
        Assert.Equal(badVAddr & 0xFFFFE000, intercepted.Vpn2);
        bool odd = (badVAddr & 0x1000) != 0;
        uint ppn = odd ? intercepted.OddPpn : intercepted.EvenPpn;
        Assert.NotEqual(TraceRecord.NoPage, ppn);
        while (flow[step].Kind is TraceKind.MapRequest or TraceKind.MapReply)
        {
            step++;
        }

        var resumeRecord = flow[step++];
        var resume = TraceEvents.As<EmulateEvent>(resumeRecord);
        Assert.Equal(PrivilegedOp.Tlbwr, resume.Op);
        uint mpn = odd ? resume.OddMpn : resume.EvenMpn;
        var answer = TraceEvents.As<MapReplyEvent>(_trace.RecordsOf(1).Last(r =>
            TraceEvents.Is<MapReplyEvent>(r, out var reply) && reply.Ppn == ppn && r.Sequence < resumeRecord.Sequence));
        Assert.Equal(GuestPageKind.Memory, answer.PageKind);
        Assert.Equal(answer.Mpn, mpn); // the memory manager's own mapping of that PPN

        // 5. return from trap: the OS's ERET traps.
        var eret = TraceEvents.As<TrapEvent>(flow[step++]);
        Assert.Equal("eret", eret.Name);

        // 6. the monitor does the real return.
        var ret = TraceEvents.As<ReturnFromTrapEvent>(flow[step++]);
        Assert.Equal(PrivilegeMode.User, ret.Mode);
        Assert.Equal(reflect.Epc, ret.Target); // back to the faulting instruction (or its branch)

        // 7. the instruction is retried and this time hits: no second miss, it retires.
        var retried = TraceEvents.As<ResumedEvent>(flow[step++]);
        Assert.Equal(ret.Target, retried.Pc);
        Assert.Equal(step, flow.Count);
    }

    [Fact]
    public void The_first_tlb_write_for_a_page_asks_the_memory_manager_which_allocates_its_machine_page()
    {
        int flows = TraceAnalysis.CountFlows(_trace, 1, FlowKind.TlbMiss);
        var seen = new HashSet<uint>();
        int asked = 0;
        for (int k = 1; k <= flows && asked < 5; k++)
        {
            var flow = TraceAnalysis.Flow(_trace, 1, FlowKind.TlbMiss, k).ToList();
            var interceptedRecord = flow.First(r => r.Kind == TraceKind.TlbWriteIntercepted);
            var intercepted = TraceEvents.As<TlbWriteInterceptedEvent>(interceptedRecord);
            foreach (uint ppn in new[] { intercepted.EvenPpn, intercepted.OddPpn }.Where(p => p != TraceRecord.NoPage && _trace.RecordsOf(1)
                         .All(r => !(TraceEvents.Is<MapReplyEvent>(r, out var m) && m.Ppn == p && r.Sequence < interceptedRecord.Sequence))))
            {
                // Never answered before: the router asks, and the reply comes before its Emulate.
                int request = flow.FindIndex(r => TraceEvents.Is<MapRequestEvent>(r, out var m) && m.Ppn == ppn);
                int reply = flow.FindIndex(r => TraceEvents.Is<MapReplyEvent>(r, out var m) && m.Ppn == ppn);
                int emulate = flow.FindIndex(r => TraceEvents.Is<EmulateEvent>(r, out var em) && em.Op == PrivilegedOp.Tlbwr);
                Assert.True(request >= 0 && request < reply && reply < emulate, $"PPN 0x{ppn:X}: request {request}, reply {reply}, emulate {emulate}");
                if (seen.Add(ppn))
                {
                    asked++;
                }
            }
        }

        Assert.True(asked >= 5, "first uses of pages went through the memory manager");
    }

    [Fact]
    public void The_router_records_the_guests_handlers_when_it_writes_EBase()
    {
        var installed = InstalledHandlers();
        Assert.Equal(installed.EBase & 0xFFFFF000, installed.RefillVector);
        Assert.Equal(installed.RefillVector + 0x180, installed.GeneralVector);
        Assert.True(installed.RefillVector >= 0xC0000000, "the guest kernel's vectors are in ksseg, where supervisor mode reaches them");
        Assert.All(_trace.Records.Where(r => r.Vm == 1 && r.Kind == TraceKind.Reflect).Select(r => TraceEvents.As<ReflectEvent>(r)),
            r => Assert.True(r.Vector == installed.RefillVector || r.Vector == installed.GeneralVector, $"reflected to 0x{r.Vector:X8}, not to a recorded handler"));
    }

    /// <summary>The handlers in force when the guest took its first exception (a kernel may write EBase more than once).</summary>
    private HandlersRecordedEvent InstalledHandlers()
    {
        long firstReflection = _trace.Records.First(r => r.Vm == 1 && r.Kind == TraceKind.Reflect).Sequence;
        return TraceEvents.As<HandlersRecordedEvent>(_trace.Records.Last(r => r.Vm == 1 && r.Kind == TraceKind.HandlersRecorded && r.Sequence < firstReflection));
    }

    private uint RefillVector() => InstalledHandlers().RefillVector;

    private uint GeneralVector() => InstalledHandlers().GeneralVector;
}
