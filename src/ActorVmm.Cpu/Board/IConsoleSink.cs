namespace ActorVmm.Cpu.Board;

/// <summary>Where a machine's console UART sends its bytes.</summary>
public interface IConsoleSink
{
    void Write(byte value);
}
