namespace ActorVmm.Cpu;

/// <summary>Page permissions of a <see cref="AddressingMode.FlatUser"/> process image.</summary>
[Flags]
public enum PagePermission : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
    ReadWrite = Read | Write,
    ReadExecute = Read | Execute,
    All = Read | Write | Execute,
}
