namespace ActorVmm.Cpu.Board;

/// <summary>Where a machine's console UART sends its bytes.</summary>
public interface IConsoleSink
{
    void Write(byte value);

    /// <summary>The machine has powered off: deliver whatever is still buffered.</summary>
    void Flush()
    {
    }
}
