namespace ActorVmm.Cpu.Elf;

/// <summary>A defined, named symbol from .symtab. Size 0 means the object file did not say.</summary>
public sealed record ElfSymbol(string Name, uint Value, uint Size, ElfSymbolType Type)
{
    public bool Contains(uint address) => address >= Value && address - Value < Size;
}
