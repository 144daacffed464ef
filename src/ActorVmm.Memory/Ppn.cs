namespace ActorVmm.Memory;

/// <summary>A guest-physical page number: what a guest kernel believes is a page of its RAM.</summary>
public readonly record struct Ppn(uint Value)
{
    public ulong Address => (ulong)Value << MachinePage.Shift;

    public static Ppn Of(ulong physicalAddress) => new((uint)(physicalAddress >> MachinePage.Shift));

    public override string ToString() => $"PPN 0x{Value:X}";
}
