using System.Collections.Immutable;
using ActorVmm.Cpu.Board;

namespace ActorVmm.Monitor;

/// <summary>
/// A VM's console UART as a byte stream: bytes are gathered into lines (or 4 KB chunks) and
/// handed on with their offset in the stream, so that whoever delivers them can tell new
/// bytes from bytes it has already shown.
/// </summary>
public sealed class ConsoleStream(Action<long, ImmutableArray<byte>> emit) : IConsoleSink
{
    private const int ChunkBytes = 4096;
    private readonly List<byte> _pending = new();

    /// <summary>Bytes handed on so far: the offset of the next chunk.</summary>
    public long Emitted { get; private set; }

    /// <summary>Bytes written since the last chunk went out (a line not yet complete).</summary>
    public ImmutableArray<byte> Pending => [.. _pending];

    /// <summary>Continue a stream that had handed on <paramref name="emitted"/> bytes and held <paramref name="pending"/>.</summary>
    public void Restore(long emitted, ImmutableArray<byte> pending)
    {
        _pending.Clear();
        _pending.AddRange(pending);
        Emitted = emitted;
    }

    public void Write(byte value)
    {
        _pending.Add(value);
        if (value == (byte)'\n' || _pending.Count >= ChunkBytes)
        {
            Flush();
        }
    }

    public void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var bytes = ImmutableArray.CreateRange(_pending);
        _pending.Clear();
        long offset = Emitted;
        Emitted += bytes.Length;
        emit(offset, bytes);
    }
}
