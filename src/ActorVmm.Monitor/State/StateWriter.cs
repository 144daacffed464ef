using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ActorVmm.Monitor;

/// <summary>Little-endian primitives into a growing buffer, for <see cref="VmStateCodec"/>.</summary>
internal sealed class StateWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void Bool(bool v)
    {
        _buffer.GetSpan(1)[0] = v ? (byte)1 : (byte)0;
        _buffer.Advance(1);
    }

    public void Byte(byte v)
    {
        _buffer.GetSpan(1)[0] = v;
        _buffer.Advance(1);
    }

    public void U16(ushort v)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), v);
        _buffer.Advance(2);
    }

    public void U32(uint v)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), v);
        _buffer.Advance(4);
    }

    public void I32(int v) => U32((uint)v);

    public void I64(long v)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), v);
        _buffer.Advance(8);
    }

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        I32(bytes.Length);
        bytes.CopyTo(_buffer.GetSpan(bytes.Length));
        _buffer.Advance(bytes.Length);
    }

    public void String(string? s)
    {
        Bool(s is not null);
        if (s is not null)
        {
            Bytes(Encoding.UTF8.GetBytes(s));
        }
    }
}
