namespace ActorVmm.Cpu;

/// <summary>The kind of access being translated, for permission checks and exception codes.</summary>
public enum MemoryAccess : byte
{
    Fetch,
    Load,
    Store,
}
