using ActorVmm.Cpu;
using ActorVmm.Memory;
using Xunit;

namespace ActorVmm.Monitor.Tests;

/// <summary>
/// The special page's coherence rules: everything published is in the page at 4 × its
/// register number; only what the guest changed since is taken in, with MTC0's masks and
/// effects; registers the guest may not write through the page are never taken in.
/// </summary>
public sealed class SpecialPageTests : IDisposable
{
    private readonly MemoryBlock _memory = new(16 * MachinePage.Size);
    private readonly SpecialPage _page;

    public SpecialPageTests() => _page = new SpecialPage(_memory, new Ppn(0x40), new Mpn(2), new Mpn(3));

    [Fact]
    public void Published_registers_sit_at_four_times_their_number()
    {
        var cp0 = Cp0State.Reset(64);
        cp0.EPC = 0xC0001234;
        cp0.Cause = 0x24;
        cp0.EntryHi = 0x00400005;
        _page.Publish(cp0);

        Assert.Equal(0xC0001234u, Word(14));
        Assert.Equal(0x24u, Word(13));
        Assert.Equal(0x00400005u, Word(10));
        Assert.Equal(0u, Word(9)); // Count is not kept: it changes every instruction
    }

    [Fact]
    public void Only_what_the_guest_stored_is_taken_in_with_mtc0s_rules()
    {
        var cp0 = Cp0State.Reset(64);
        _page.Publish(cp0);
        Assert.Equal(Cp0WriteEffect.None, _page.Absorb(ref cp0));

        _memory.WriteUInt32(Address(10), 0x00401F07);  // EntryHi: the ASID changes, bits 12:8 are not writable
        _memory.WriteUInt32(Address(13), 0xFFFFFFFF);  // Cause may not be written through the page
        var effect = _page.Absorb(ref cp0);

        Assert.Equal(0x00400007u, cp0.EntryHi);
        Assert.True(effect.HasFlag(Cp0WriteEffect.Asid));
        Assert.Equal(Cp0State.Reset(64).Cause, cp0.Cause);

        // Taken in once: a change the monitor makes before the next exit (a TLBR, say) is not
        // overwritten by the guest's old store on the next entry.
        cp0.EntryHi = 0x00400009;
        Assert.Equal(Cp0WriteEffect.None, _page.Absorb(ref cp0));
        Assert.Equal(0x00400009u, cp0.EntryHi);
    }

    [Fact]
    public void The_console_buffer_is_the_page_after_the_special_page()
    {
        "abc"u8.CopyTo(_memory.Slice(3 * MachinePage.Size, 3));

        Assert.Equal("ab"u8.ToArray(), _page.Console(2).ToArray());
        Assert.Equal(ParavirtualAbi.ConsoleBytes, _page.Console(100_000).Length);
    }

    public void Dispose() => _memory.Dispose();

    private uint Word(int register) => _memory.ReadUInt32(Address(register));

    private static ulong Address(int register) => (2 * MachinePage.Size) + (ulong)(4 * register);
}
