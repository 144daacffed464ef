namespace ActorVmm.Memory;

/// <summary>A machine page number: a 4 KB page of a node's machine memory.</summary>
public readonly record struct Mpn(uint Value)
{
    public ulong Address => (ulong)Value << MachinePage.Shift;

    public override string ToString() => $"MPN 0x{Value:X}";
}
