using System.Collections.Immutable;
using ActorVmm.Cpu;
using ActorVmm.Memory;

namespace ActorVmm.Monitor;

/// <summary>
/// A paravirtual guest's special page, as its vCPU keeps it (Disco's idea: privileged
/// registers become loads and stores): the virtual CP0 registers of
/// <see cref="ParavirtualAbi.Published"/> are written into it on every exit from the monitor,
/// and what the guest stored into those of <see cref="ParavirtualAbi.Absorbed"/> is taken into
/// the virtual CP0 whenever the guest stops, before the monitor looks at its state. The page and
/// the console buffer after it are machine pages the memory manager pinned for this VM (never
/// shared), so the vCPU reads and writes them directly, as Disco's monitor did.
/// </summary>
public sealed class SpecialPage
{
    private const int Registers = 16;
    private readonly MemoryBlock _memory;
    private readonly uint[] _published = new uint[Registers];

    public SpecialPage(MemoryBlock memory, Ppn area, Mpn registers, Mpn console)
    {
        _memory = memory;
        Area = area;
        RegistersPage = registers;
        ConsolePage = console;
    }

    /// <summary>The area's first guest-physical page (the special page; the console buffer follows).</summary>
    public Ppn Area { get; }

    public Mpn RegistersPage { get; }

    public Mpn ConsolePage { get; }

    /// <summary>Write the virtual CP0 out, remembering what was written so that the guest's own stores can be told apart.</summary>
    public void Publish(in Cp0State cp0)
    {
        foreach (int reg in ParavirtualAbi.Published)
        {
            uint value = cp0.Read(reg);
            _published[reg >> 3] = value;
            _memory.WriteUInt32(RegistersPage.Address + ParavirtualAbi.OffsetOf(reg), value);
        }
    }

    /// <summary>What the page holds now counts as published: for a page that moved here with its VM.</summary>
    public void Adopt()
    {
        foreach (int reg in ParavirtualAbi.Published)
        {
            _published[reg >> 3] = _memory.ReadUInt32(RegistersPage.Address + ParavirtualAbi.OffsetOf(reg));
        }
    }

    /// <summary>Take in the registers the guest changed with stores since the last exit, with MTC0's rules; returns their effects.</summary>
    public Cp0WriteEffect Absorb(ref Cp0State cp0)
    {
        var effect = Cp0WriteEffect.None;
        foreach (int reg in ParavirtualAbi.Absorbed)
        {
            uint value = _memory.ReadUInt32(RegistersPage.Address + ParavirtualAbi.OffsetOf(reg));
            if (value != _published[reg >> 3])
            {
                effect |= cp0.Write(reg, value);
                _published[reg >> 3] = value;
            }
        }

        return effect;
    }

    /// <summary>The first <paramref name="count"/> bytes of the console buffer (at most its size).</summary>
    public ImmutableArray<byte> Console(uint count) =>
        ImmutableArray.Create(_memory.Slice(ConsolePage.Address, (int)Math.Min(count, (uint)ParavirtualAbi.ConsoleBytes)).ToArray());
}
