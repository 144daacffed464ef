namespace ActorVmm.Cpu.Elf;

/// <summary>
/// STT_* of the symbols kept. Untyped symbols are kept because hand-written assembly
/// (exception vectors, <c>_start</c>) often carries no .type directive.
/// </summary>
public enum ElfSymbolType : byte
{
    NoType = 0,
    Object = 1,
    Function = 2,
}
