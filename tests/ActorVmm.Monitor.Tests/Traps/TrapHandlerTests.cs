using System.Collections.Immutable;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Board;
using ActorVmm.Memory;
using ActorVmm.Monitor.Tracing;
using Xunit;
using static ActorVmm.TestSupport.Asm;

namespace ActorVmm.Monitor.Tests;

/// <summary>
/// The trap router's logic without actors, on the TLB-write path: an intercepted write is
/// decided only once every page it maps has a machine page; the reply carries only what the
/// memory manager newly said, and pages the vCPU already knew never leave it.
/// </summary>
public sealed class TrapHandlerTests
{
    private const uint Pc = 0xC0002040;
    private readonly List<(long Offset, byte[] Bytes)> _console = new();
    private readonly TrapHandler _handler;

    public TrapHandlerTests()
    {
        _handler = new TrapHandler(4, 4u << 20, TraceRecorder.Disabled, (offset, bytes) => _console.Add((offset, bytes.ToArray())));
    }

    [Fact]
    public void A_tlb_write_of_unseen_pages_waits_for_the_memory_manager_then_replies_with_its_answers()
    {
        var step = _handler.OnTrap(0, 1, TlbWrite(known: []));

        Assert.Equal(RouterStepKind.Translate, step.Kind);
        Assert.Equal([0x100u, 0x2A0u], step.Pages.Select(p => p.Value));

        var answers = ImmutableArray.Create(
            new GuestPageMapping(new Ppn(0x100), GuestPageKind.Memory, new Mpn(0x30), Fresh: true),
            new GuestPageMapping(new Ppn(0x2A0), GuestPageKind.OutsideVm, default));
        var decided = _handler.OnPagesTranslated(step.Correlation, answers);

        Assert.Equal(RouterStepKind.Decided, decided.Kind);
        var emulated = Assert.IsType<Emulated>(decided.Decision);
        Assert.Equal(PrivilegedOp.Tlbwr, emulated.Op);
        Assert.Equal<GuestPageMapping>(answers, decided.Mappings);
        Assert.Equal(step.Correlation, decided.Correlation);
    }

    [Fact]
    public void Pages_the_vcpu_knew_are_neither_asked_nor_sent_back()
    {
        var known = new GuestPageMapping(new Ppn(0x2A0), GuestPageKind.Memory, new Mpn(0x44));
        var step = _handler.OnTrap(0, 1, TlbWrite(known: [known]));

        Assert.Equal([0x100u], step.Pages.Select(p => p.Value));
        var fresh = new GuestPageMapping(new Ppn(0x100), GuestPageKind.Memory, new Mpn(0x30), Fresh: true);
        var decided = _handler.OnPagesTranslated(step.Correlation, [fresh]);

        Assert.Equal<GuestPageMapping>([fresh], decided.Mappings);
    }

    [Fact]
    public void A_tlb_write_whose_pages_are_all_known_is_decided_at_once_with_nothing_to_add()
    {
        var step = _handler.OnTrap(0, 1, TlbWrite(known:
        [
            new GuestPageMapping(new Ppn(0x100), GuestPageKind.Memory, new Mpn(0x30)),
            new GuestPageMapping(new Ppn(0x2A0), GuestPageKind.Memory, new Mpn(0x44)),
        ]));

        Assert.Equal(RouterStepKind.Decided, step.Kind);
        Assert.True(step.Mappings.IsEmpty);
        Assert.IsType<Emulated>(step.Decision);
    }

    [Fact]
    public void Concurrent_tlb_writes_are_matched_to_their_answers_by_correlation_and_a_stray_answer_decides_nothing()
    {
        var first = _handler.OnTrap(0, 0, TlbWrite(known: []));
        var second = _handler.OnTrap(1, 1, TlbWrite(known: []));
        Assert.NotEqual(first.Correlation, second.Correlation);

        Assert.Equal(RouterStepKind.None, _handler.OnPagesTranslated(999, []).Kind);
        Assert.Equal(second.Correlation, _handler.OnPagesTranslated(second.Correlation, []).Correlation);
        Assert.Equal(first.Correlation, _handler.OnPagesTranslated(first.Correlation, []).Correlation);
        Assert.Equal(RouterStepKind.None, _handler.OnPagesTranslated(first.Correlation, []).Kind); // answered once only
    }

    [Fact]
    public void Console_bytes_go_out_by_line_with_their_stream_offsets_and_power_off_flushes_the_rest()
    {
        foreach (char c in "hi\nbye")
        {
            Assert.Equal(RouterStepKind.Decided, _handler.OnTrap(0, 0, Device(DeviceMap.UartTx, c)).Kind);
        }

        Assert.Equal([(0L, "hi\n")], _console.Select(c => (c.Offset, System.Text.Encoding.ASCII.GetString(c.Bytes))));
        var off = _handler.OnTrap(0, 0, Device(DeviceMap.SysPowerOff, 7));

        Assert.Equal(new DeviceDone(0, 0, true, 7), off.Decision);
        Assert.True(_handler.PoweredOff);
        Assert.Equal([(0L, "hi\n"), (3L, "bye")], _console.Select(c => (c.Offset, System.Text.Encoding.ASCII.GetString(c.Bytes))));
        Assert.Equal(6, _handler.ConsoleOffset);
    }

    private static TrapRequest TlbWrite(ImmutableArray<GuestPageMapping> known)
    {
        var cp0 = Cp0State.Reset(64);
        cp0.EBase = 0xC0001800;
        cp0.EntryHi = 0x00400000 | 5;
        cp0.EntryLo0 = EntryLoBits.Make(0x100, 3, dirty: false, valid: true, global: false);
        cp0.EntryLo1 = EntryLoBits.Make(0x2A0, 3, dirty: true, valid: true, global: false);
        return new TrapRequest(TrapKind.Exception, new GuestException(ExcCode.CpU, Pc, false, 0, Tlbwr), cp0, 0, [], null, known);
    }

    private static TrapRequest Device(uint offset, uint value)
    {
        Assert.True(LoadStoreInstruction.TryDecode(Sw(T0, (int)offset, T1), out var access));
        var e = new GuestException(ExcCode.TlbS, Pc, false, DeviceMap.VirtualBase + offset, Sw(T0, (int)offset, T1));
        return new TrapRequest(TrapKind.DeviceAccess, e, Cp0State.Reset(64), value, [], new DeviceAccess(offset, access, value));
    }
}
