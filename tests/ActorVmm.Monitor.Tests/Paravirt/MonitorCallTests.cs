using System.Collections.Immutable;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor.Tracing;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Monitor.Tests;

/// <summary>
/// The router's side of the paravirtual interface (docs/HYPERCALLS.md): the device page's
/// SYS_MONITOR answers the ABI's magic, and each monitor call does what the ABI says: console
/// output in one call, page operations through the memory manager first, the refill's
/// TLBWR + ERET as one intercepted write; a call the monitor cannot do fails with v0 = -1.
/// </summary>
public sealed class MonitorCallTests
{
    private const uint Pc = 0xC0002040;
    private readonly List<byte> _console = new();
    private readonly TrapHandler _handler;

    public MonitorCallTests()
    {
        _handler = new TrapHandler(4, 4u << 20, TraceRecorder.Disabled, (_, bytes) => _console.AddRange(bytes));
    }

    [Fact]
    public void The_device_page_answers_sys_monitor_with_the_abis_magic_where_the_bare_board_reads_zero()
    {
        Assert.True(LoadStoreInstruction.TryDecode(Lw(T0, (int)ParavirtualAbi.SysMonitorOffset, T1), out var load));
        var request = new TrapRequest(TrapKind.DeviceAccess, new GuestException(ExcCode.TlbL, Pc, false, DeviceMap.VirtualBase + 0x10C, Lw(T0, 0x10C, T1)),
            Cp0State.Reset(64), 0, [], new DeviceAccess(ParavirtualAbi.SysMonitorOffset, load, 0));

        var done = Assert.IsType<DeviceDone>(_handler.OnTrap(0, 0, request).Decision);

        Assert.Equal((T0, 0x314D5641u), (done.GprIndex, done.GprValue));
        Assert.Equal(0u, new DeviceRegisters(1u << 20, 1, new NullSink()).Read(ParavirtualAbi.SysMonitorOffset));
    }

    [Fact]
    public void A_console_call_prints_the_buffer_in_one_trap()
    {
        var step = _handler.OnTrap(0, 0, Call(MonitorCall.Console, a0: 6, console: "hello\n"u8.ToArray()));

        var done = Assert.IsType<MonitorCallDone>(step.Decision);
        Assert.Equal(0u, done.Result);
        Assert.Equal("hello\n", System.Text.Encoding.ASCII.GetString(_console.ToArray()));
    }

    [Fact]
    public void A_console_call_without_a_registered_special_page_fails()
    {
        var done = Assert.IsType<MonitorCallDone>(_handler.OnTrap(0, 0, Call(MonitorCall.Console, a0: 6)).Decision);

        Assert.Equal(uint.MaxValue, done.Result);
        Assert.Empty(_console);
    }

    [Fact]
    public void Registering_pins_both_pages_of_the_area_first_and_fails_outside_the_vm()
    {
        var step = _handler.OnTrap(0, 0, Call(MonitorCall.Register, a0: 0x00055000));

        Assert.Equal((RouterStepKind.Translate, PageOperation.Pin), (step.Kind, step.Operation));
        Assert.Equal([0x55u, 0x56u], step.Pages.Select(p => p.Value));
        var pages = ImmutableArray.Create(Memory(0x55, 0x70), Memory(0x56, 0x71));
        var done = Assert.IsType<MonitorCallDone>(_handler.OnPagesTranslated(step.Correlation, pages).Decision);
        Assert.Equal((0u, new Ppn(0x55)), (done.Result, done.Area));

        var outside = _handler.OnTrap(0, 0, Call(MonitorCall.Register, a0: 0x0FFFF000));
        var refused = _handler.OnPagesTranslated(outside.Correlation,
            [new GuestPageMapping(new Ppn(0xFFFF), GuestPageKind.OutsideVm, default), new GuestPageMapping(new Ppn(0x10000), GuestPageKind.OutsideVm, default)]);
        Assert.Equal((uint.MaxValue, (Ppn?)null), (((MonitorCallDone)refused.Decision!).Result, ((MonitorCallDone)refused.Decision!).Area));

        var misaligned = Assert.IsType<MonitorCallDone>(_handler.OnTrap(0, 0, Call(MonitorCall.Register, a0: 0x00055010)).Decision);
        Assert.Equal(uint.MaxValue, misaligned.Result);
    }

    [Theory]
    [InlineData(MonitorCall.ZeroPage, PageOperation.Zero)]
    [InlineData(MonitorCall.FreePage, PageOperation.Release)]
    public void Zero_and_free_go_to_the_memory_manager_and_come_back_with_its_answer(MonitorCall call, PageOperation operation)
    {
        var step = _handler.OnTrap(0, 0, Call(call, a0: 0x00123000));

        Assert.Equal((RouterStepKind.Translate, operation, 0x123u), (step.Kind, step.Operation, step.Pages.Single().Value));
        var answer = call == MonitorCall.FreePage ? new GuestPageMapping(new Ppn(0x123), GuestPageKind.Unbacked, default) : Memory(0x123, 0x9);
        var decided = _handler.OnPagesTranslated(step.Correlation, [answer]);
        Assert.Equal(0u, Assert.IsType<MonitorCallDone>(decided.Decision).Result);
        Assert.Equal<GuestPageMapping>([answer], decided.Mappings);
    }

    [Fact]
    public void The_refill_call_is_the_native_tlbwr_and_eret_with_entrylo_from_k0_and_k1()
    {
        var cp0 = Cp0State.Reset(64);
        cp0.EntryHi = 0x00400000 | 5;
        cp0.Status |= StatusBits.EXL;
        cp0.EPC = 0x00400120;
        uint lo0 = EntryLoBits.Make(0x100, 3, true, true, false), lo1 = EntryLoBits.Make(0x101, 3, true, true, false);
        var known = ImmutableArray.Create(Memory(0x100, 0x30), Memory(0x101, 0x31));
        var request = new TrapRequest(TrapKind.MonitorCall, new GuestException(ExcCode.Sys, Pc, false, 0, Syscall(ParavirtualAbi.CodeBase + 5)), cp0, 0, [], null, known,
            new MonitorCallRequest(MonitorCall.RefillReturn, 0, lo0, lo1));

        var step = _handler.OnTrap(0, 0, request);

        var done = Assert.IsType<MonitorCallDone>(step.Decision);
        Assert.Equal(RouterStepKind.Decided, step.Kind); // both pages were known
        Assert.Equal(0x00400120u, done.ReturnTarget);
        Assert.Equal(63, done.TlbWrite!.Index); // Random starts at the top, as a TLBWR takes it
        Assert.Equal(new TlbEntry(0x00400000 | 5, 0, lo0, lo1), done.TlbWrite.Entry);
        Assert.Equal(0u, done.Cp0.Status & StatusBits.EXL);
        Assert.Equal((lo0, lo1), (done.Cp0.EntryLo0, done.Cp0.EntryLo1));
    }

    [Fact]
    public void Only_the_abis_syscall_codes_are_monitor_calls()
    {
        Assert.True(ParavirtualAbi.TryDecode(Syscall(0xD1502), out var call));
        Assert.Equal(MonitorCall.Console, call);
        Assert.False(ParavirtualAbi.TryDecode(Syscall(0), out _));
        Assert.False(ParavirtualAbi.TryDecode(Syscall(0xD1500), out _));
        Assert.False(ParavirtualAbi.TryDecode(Syscall(0xD1506), out _));
    }

    private static GuestPageMapping Memory(uint ppn, uint mpn) => new(new Ppn(ppn), GuestPageKind.Memory, new Mpn(mpn));

    private static TrapRequest Call(MonitorCall call, uint a0, byte[]? console = null) =>
        new(TrapKind.MonitorCall, new GuestException(ExcCode.Sys, Pc, false, 0, Syscall(ParavirtualAbi.CodeBase + (uint)call)), Cp0State.Reset(64), 0, [], null, [],
            new MonitorCallRequest(call, a0, 0, 0, console is null ? default : [.. console]));

    private sealed class NullSink : IConsoleSink
    {
        public void Write(byte value)
        {
        }
    }
}
