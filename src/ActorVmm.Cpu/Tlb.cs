namespace ActorVmm.Cpu;

/// <summary>
/// A software-managed MIPS32 TLB and the four TLB instructions, on any register set: the
/// core uses it as the machine TLB; a vCPU uses another instance as its guest's virtual TLB.
/// </summary>
public sealed class Tlb
{
    private readonly TlbEntry[] _entries;

    public Tlb(int size)
    {
        if (size is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "a TLB holds 1 to 64 entries");
        }

        _entries = new TlbEntry[size];
        for (int i = 0; i < size; i++)
        {
            _entries[i] = TlbEntry.Unused(i);
        }
    }

    public int Size => _entries.Length;

    public TlbEntry this[int index] => _entries[index];

    public ReadOnlySpan<TlbEntry> Entries => _entries;

    /// <summary>Index of the entry translating <paramref name="va"/> for <paramref name="asid"/>, or -1.</summary>
    public int Lookup(uint va, uint asid)
    {
        var entries = _entries;
        for (int i = 0; i < entries.Length; i++)
        {
            if (entries[i].Matches(va, asid))
            {
                return i;
            }
        }

        return -1;
    }

    public void Set(int index, TlbEntry entry) => _entries[index] = entry;

    public void CopyFrom(ReadOnlySpan<TlbEntry> entries)
    {
        if (entries.Length != _entries.Length)
        {
            throw new ArgumentException($"expected {_entries.Length} TLB entries, got {entries.Length}", nameof(entries));
        }

        entries.CopyTo(_entries);
    }

    public void Flush()
    {
        for (int i = 0; i < _entries.Length; i++)
        {
            _entries[i] = TlbEntry.Unused(i);
        }
    }

    /// <summary>TLBP: Index = the entry matching EntryHi (VPN2 and ASID), or P set.</summary>
    public void Probe(ref Cp0State cp0) => Probe(ref cp0, _entries);

    /// <summary>TLBR: EntryHi, EntryLo0/1 and PageMask from the entry Index names.</summary>
    public Cp0WriteEffect Read(ref Cp0State cp0) => Read(ref cp0, _entries);

    /// <summary>TLBP on any set of entries (the monitor probes a guest's virtual TLB).</summary>
    public static void Probe(ref Cp0State cp0, ReadOnlySpan<TlbEntry> entries)
    {
        uint vpn2 = cp0.EntryHi & EntryHiBits.Vpn2Mask;
        uint asid = cp0.EntryHi & EntryHiBits.AsidMask;
        for (int i = 0; i < entries.Length; i++)
        {
            if (entries[i].Matches(vpn2, asid))
            {
                cp0.Index = (uint)i;
                return;
            }
        }

        cp0.Index = 0x80000000;
    }

    /// <summary>TLBR on any set of entries.</summary>
    public static Cp0WriteEffect Read(ref Cp0State cp0, ReadOnlySpan<TlbEntry> entries)
    {
        int i = (int)(cp0.Index & 0x3F);
        if (i >= entries.Length)
        {
            return Cp0WriteEffect.None; // UNPREDICTABLE; leave the registers alone
        }

        var e = entries[i];
        uint oldAsid = cp0.EntryHi & EntryHiBits.AsidMask;
        cp0.EntryHi = e.EntryHi;
        cp0.PageMask = e.PageMask;
        cp0.EntryLo0 = e.EntryLo0;
        cp0.EntryLo1 = e.EntryLo1;
        return (e.EntryHi & EntryHiBits.AsidMask) != oldAsid ? Cp0WriteEffect.Asid : Cp0WriteEffect.None;
    }

    /// <summary>The entry TLBWI writes, or -1 when Index is beyond the TLB (UNPREDICTABLE: ignored).</summary>
    public static int IndexedSlot(in Cp0State cp0, int size)
    {
        int i = (int)(cp0.Index & 0x3F);
        return i < size ? i : -1;
    }

    /// <summary>The entry TLBWR writes; steps Random as docs/MACHINE.md describes.</summary>
    public static int RandomSlot(ref Cp0State cp0, int size)
    {
        int i = (int)Math.Min(cp0.Random, (uint)size - 1);
        cp0.Random = NextRandom(cp0.Random, cp0.Wired, size);
        return i;
    }

    /// <summary>TLBWI: returns the index written, or -1 when Index is out of range.</summary>
    public int WriteIndexed(in Cp0State cp0, out TlbEntry previous)
    {
        int i = IndexedSlot(cp0, _entries.Length);
        previous = i >= 0 ? _entries[i] : default;
        if (i >= 0)
        {
            _entries[i] = TlbEntry.FromCp0(cp0);
        }

        return i;
    }

    /// <summary>TLBWR: writes the entry Random names, then steps Random.</summary>
    public int WriteRandom(ref Cp0State cp0, out TlbEntry previous)
    {
        int i = RandomSlot(ref cp0, _entries.Length);
        previous = _entries[i];
        _entries[i] = TlbEntry.FromCp0(cp0);
        return i;
    }

    public static uint NextRandom(uint random, uint wired, int size)
    {
        uint top = (uint)size - 1;
        return random <= wired || random > top || wired >= top ? top : random - 1;
    }
}
