namespace ActorVmm.Host.Fuzz;

/// <summary>What an item does to HI and LO, for keeping UNPREDICTABLE values out of the dump.</summary>
public enum HiLoEffect
{
    None,

    /// <summary>MULT, MULTU, DIV, DIVU: both defined afterwards.</summary>
    WritesBoth,

    /// <summary>MADD, MADDU, MSUB, MSUBU: read and write both.</summary>
    ReadsWritesBoth,
    ReadsHi,
    ReadsLo,
    WritesHi,
    WritesLo,

    /// <summary>MUL: HI and LO are UNPREDICTABLE afterwards (MIPS32 before Release 6).</summary>
    Clobbers,
}

/// <summary>
/// One unit of a fuzz case: an instruction, or a few that only make sense together (a
/// branch with its delay slot, an address load with the access that uses it, an ADD whose
/// operands were halved so that it cannot overflow), or a branch target label. The
/// reducer removes whole items, never splits one.
/// </summary>
/// <param name="Lines">Assembler lines, without indentation.</param>
/// <param name="Label">Set on a label item: the label it defines (and <paramref name="Lines"/> is empty).</param>
/// <param name="Target">Set on a branch or jump item: the label it goes to.</param>
/// <param name="Unconditional">The branch or jump is always taken: nothing falls through.</param>
/// <param name="Likely">A branch-likely: its delay slot (whose effect <paramref name="HiLo"/> is) runs only when taken.</param>
public sealed record FuzzItem(
    IReadOnlyList<string> Lines,
    HiLoEffect HiLo = HiLoEffect.None,
    string? Label = null,
    string? Target = null,
    bool Unconditional = false,
    bool Likely = false)
{
    public bool IsLabel => Label is not null;

    public static FuzzItem Op(string line, HiLoEffect hiLo = HiLoEffect.None) => new([line], hiLo);

    public static FuzzItem LabelAt(string label) => new([], Label: label);
}

/// <summary>One fuzz case: fresh register, HI/LO and scratch-buffer values, then straight-line code with forward branches.</summary>
/// <param name="Index">The case number within its run (the generator's per-case seed).</param>
/// <param name="Registers">Initial values of <see cref="FuzzRegisters.Usable"/>, in that order.</param>
/// <param name="Scratch">Initial words of the scratch buffer.</param>
public sealed record FuzzCase(
    long Index,
    IReadOnlyList<uint> Registers,
    uint Hi,
    uint Lo,
    IReadOnlyList<uint> Scratch,
    IReadOnlyList<FuzzItem> Items)
{
    public int InstructionItems => Items.Count(i => !i.IsLabel);
}
