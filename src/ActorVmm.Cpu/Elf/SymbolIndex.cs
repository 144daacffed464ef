namespace ActorVmm.Cpu.Elf;

/// <summary>
/// Answers "which symbol is this address in?" for crash reports. Linear scans: it runs once
/// per report, never per instruction.
/// </summary>
internal sealed class SymbolIndex
{
    private readonly ElfSymbol[] _symbols;
    private readonly ElfSegment[] _segments;

    public SymbolIndex(ElfSymbol[] symbols, ElfSegment[] segments)
    {
        _symbols = symbols;
        _segments = segments;
    }

    public string? Describe(uint address)
    {
        var symbol = Containing(address) ?? UnsizedLabelBefore(address);
        if (symbol is null)
        {
            return null;
        }

        uint offset = address - symbol.Value;
        return offset == 0 ? symbol.Name : $"{symbol.Name}+0x{offset:x}";
    }

    /// <summary>
    /// A function beats an object or label at the same place; among equals the innermost
    /// (highest start) wins, then the later table entry, because ELF lists globals after locals.
    /// </summary>
    private ElfSymbol? Containing(uint address)
    {
        ElfSymbol? best = null;
        foreach (var symbol in _symbols)
        {
            if (!symbol.Contains(address))
            {
                continue;
            }

            if (best is null || Rank(symbol) > Rank(best) || (Rank(symbol) == Rank(best) && symbol.Value >= best.Value))
            {
                best = symbol;
            }
        }

        return best;
    }

    private static int Rank(ElfSymbol symbol) => symbol.Type == ElfSymbolType.Function ? 1 : 0;

    /// <summary>
    /// Assembly without .size leaves code labels unsized. Such a label names what follows it up
    /// to the next code symbol, but not across a segment boundary and not past a sized function
    /// (an address just after a sized function is padding, not part of the label before it).
    /// </summary>
    private ElfSymbol? UnsizedLabelBefore(uint address)
    {
        ElfSymbol? nearest = null;
        foreach (var symbol in _symbols)
        {
            if (symbol.Type == ElfSymbolType.Object || symbol.Value > address)
            {
                continue;
            }

            bool closer = nearest is null || symbol.Value > nearest.Value;
            bool sizedTie = nearest is not null && symbol.Value == nearest.Value && symbol.Size > 0;
            bool unsizedTie = nearest is not null && symbol.Value == nearest.Value && nearest.Size == 0 && symbol.Size == 0;
            if (closer || sizedTie || unsizedTie)
            {
                nearest = symbol;
            }
        }

        if (nearest is null || nearest.Size != 0)
        {
            return null;
        }

        foreach (var segment in _segments)
        {
            ulong end = (ulong)segment.VirtualAddress + segment.MemorySize;
            if (nearest.Value >= segment.VirtualAddress && nearest.Value < end && address < end)
            {
                return nearest;
            }
        }

        return null;
    }
}
