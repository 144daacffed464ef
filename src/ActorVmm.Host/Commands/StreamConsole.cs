using ActorVmm.Cpu.Board;

namespace ActorVmm.Host.Commands;

/// <summary>A machine console written to a stream (stdout for <c>boot</c>).</summary>
public sealed class StreamConsole(Stream stream) : IConsoleSink
{
    public void Write(byte value) => stream.WriteByte(value);
}
