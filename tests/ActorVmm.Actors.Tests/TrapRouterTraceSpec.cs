using ActorVmm.Monitor;
using ActorVmm.Actors.Tests.Support;
using ActorVmm.Monitor.Tracing;
using ActorVmm.Cpu;
using ActorVmm.Memory;
using Akka.Actor;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;
using static ActorVmm.Actors.TrapRouterProtocol;

namespace ActorVmm.Actors.Tests;

/// <summary>
/// What the TrapRouter writes to the trace: the "TLB MISS FLOW WITH VIRTUALIZATION" steps in
/// their order (interception, map requests, and only then the emulated write), the guest's
/// handlers when it installs them, and reflections with their vector.
/// </summary>
public sealed class TrapRouterTraceSpec : NodeSpec
{
    private const int Vm = 2;
    private readonly TraceRecorder _recorder;
    private readonly TestProbe _memory;
    private readonly IActorRef _router;

    public TrapRouterTraceSpec(ITestOutputHelper output)
        : base(1u << 20, output, trace: NewRecorder())
    {
        _recorder = Node.Trace;
        _memory = CreateTestProbe("memory");
        var guestVm = CreateTestProbe("guest-vm");
        _router = Sys.ActorOf(Props.Create(() => new TrapRouter(Vm, 4u << 20, _memory.Ref, guestVm.Ref)), "router");
    }

    [Fact]
    public void The_trace_shows_the_tlb_write_interception_before_the_emulated_write_and_the_handlers_and_reflections()
    {
        var cp0 = Cp0State.Reset(64);
        cp0.Status = 0;

        // The guest installs its vectors (write gate first), then a user syscall is reflected.
        cp0 = Emulated(Send(Mtc0(cp0, Cp0Register.EBase, 0xC0001800)), PrivilegedOp.Mtc0).Cp0;
        cp0.Status = 2u << StatusBits.KsuShift;
        var syscall = new TrapRequest(TrapKind.Exception, new GuestException(ExcCode.Sys, 0x00400100, false, 0, 0x0000000C), cp0, 0, []);
        cp0 = Assert.IsType<Reflected>(Send(syscall).Decision).Cp0;

        // The refill handler's TLBWR: intercepted, translated, then decided.
        cp0.EntryHi = 0x00402000 | 3;
        cp0.EntryLo0 = EntryLoBits.Make(0x155, 3, true, true, false);
        cp0.EntryLo1 = EntryLoBits.Make(0x156, 3, true, true, false);
        _router.Tell(new Trap(new VcpuKey(Vm, 0), 1, new TrapRequest(TrapKind.Exception,
            new GuestException(ExcCode.CpU, 0xC0001010, false, 0, 0x42000006), cp0, 0, [])));
        var translate = _memory.ExpectMsg<MemoryManagerProtocol.TranslatePages>();
        _memory.Reply(new MemoryManagerProtocol.PagesTranslated(Vm, translate.Correlation,
            [new GuestPageMapping(new Ppn(0x155), GuestPageKind.Memory, new Mpn(9), true), new GuestPageMapping(new Ppn(0x156), GuestPageKind.Memory, new Mpn(10), true)]));
        ExpectMsg<Decided>();

        _recorder.Dispose();
        var records = TraceReader.Open(_recorder.Path!).Records;

        Assert.Equal(
            [TraceKind.Emulate, TraceKind.HandlersRecorded, TraceKind.Reflect, TraceKind.TlbWriteIntercepted, TraceKind.MapRequest, TraceKind.MapRequest, TraceKind.Emulate],
            records.Select(r => r.Kind));
        Assert.All(records, r => Assert.Equal(Vm, r.Vm));

        var handlers = records[1];
        Assert.Equal((0xC0001800u, 0xC0001000u, 0xC0001180u), (handlers.D0, handlers.D1, handlers.D2));

        var reflect = records[2];
        Assert.Equal(((ushort)ExcCode.Sys, 0xC0001180u, 0x00400100u), (reflect.Aux, reflect.D0, reflect.D1));

        var intercepted = records[3];
        Assert.Equal((0x00402000u | 3, 0x155u, 0x156u), (intercepted.D0, intercepted.D1, intercepted.D2));
        Assert.Equal(1, intercepted.Pcpu);
        Assert.Equal([0x155u, 0x156u], records.Skip(4).Take(2).Select(r => r.D0));
        Assert.Equal((ushort)PrivilegedOp.Tlbwr, records[6].Aux);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _recorder.Dispose();
            File.Delete(_recorder.Path!);
        }
    }

    private static TraceRecorder NewRecorder() =>
        new(Path.Combine(Path.GetTempPath(), $"actorvmm-router-{Guid.NewGuid():N}.avtrace"),
            new TraceMetadata("router spec", 1, new Dictionary<int, string> { [Vm] = "guest" }));

    private static TrapRequest Mtc0(Cp0State cp0, int register, uint value) =>
        new(TrapKind.Exception, new GuestException(ExcCode.CpU, 0xC0002000, false, 0,
            (0x10u << 26) | (0x04u << 21) | (8u << 16) | ((uint)(register >> 3) << 11) | (uint)(register & 7)), cp0, value, []);

    private Decided Send(TrapRequest request)
    {
        _router.Tell(new Trap(new VcpuKey(Vm, 0), 0, request));
        return ExpectMsg<Decided>();
    }

    private static Emulated Emulated(Decided decided, PrivilegedOp op)
    {
        var emulated = Assert.IsType<Emulated>(decided.Decision);
        Assert.Equal(op, emulated.Op);
        return emulated;
    }
}
