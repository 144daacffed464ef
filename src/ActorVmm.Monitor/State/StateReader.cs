using System.Buffers.Binary;
using System.Text;

namespace ActorVmm.Monitor;

/// <summary>Little-endian primitives out of a buffer, for <see cref="VmStateCodec"/>; running past the end is a format error.</summary>
internal ref struct StateReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _data = data;

    public readonly bool AtEnd => _data.IsEmpty;

    public bool Bool() => Take(1)[0] switch
    {
        0 => false,
        1 => true,
        var b => throw new StateFormatException($"a flag holds {b}, not 0 or 1"),
    };

    public byte Byte() => Take(1)[0];

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public int I32() => (int)U32();

    public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    /// <summary>A count of items, checked against what is left so a corrupt count fails here, not in an allocation.</summary>
    public int Count(int bytesPerItem)
    {
        int n = I32();
        if (n < 0 || (long)n * Math.Max(1, bytesPerItem) > _data.Length)
        {
            throw new StateFormatException($"a count of {n} does not fit in the {_data.Length} bytes left");
        }

        return n;
    }

    public byte[] Bytes() => Take(Count(1)).ToArray();

    public string? String() => Bool() ? Encoding.UTF8.GetString(Bytes()) : null;

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n > _data.Length)
        {
            throw new StateFormatException($"the state ends {n - _data.Length} bytes early");
        }

        var taken = _data[..n];
        _data = _data[n..];
        return taken;
    }
}
