using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using Akka.Actor;

namespace ActorVmm.Actors.Serialization;

/// <summary>
/// Little-endian primitives into a growing buffer, for the protocol serializers. One writer is
/// kept per thread and reused, so a message costs one allocation: the array Akka is handed.
/// Lengths and counts are 32-bit; -1 stands for null (a string, an optional value) or for a
/// default <see cref="ImmutableArray{T}"/>, which the monitor tells apart from an empty one.
/// </summary>
public sealed class WireWriter
{
    /// <summary>A buffer that grew past this (a large page chunk) is dropped after use rather than kept by its thread.</summary>
    private const int LargestKept = 1 << 20;

    [ThreadStatic]
    private static WireWriter? t_cached;

    private byte[] _buffer = new byte[512];
    private int _length;

    private WireWriter()
    {
    }

    public int Length => _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>This thread's writer, emptied; give it back with <see cref="ToArrayAndRelease"/>.</summary>
    public static WireWriter Rent()
    {
        var writer = t_cached ?? new WireWriter();
        t_cached = null;
        writer._length = 0;
        return writer;
    }

    /// <summary>The bytes written, as a new array; the writer goes back to its thread.</summary>
    public byte[] ToArrayAndRelease()
    {
        byte[] bytes = _buffer.AsSpan(0, _length).ToArray();
        if (_buffer.Length <= LargestKept)
        {
            t_cached = this;
        }

        return bytes;
    }

    public void U8(byte v) => Reserve(1)[0] = v;

    public void Bool(bool v) => Reserve(1)[0] = v ? (byte)1 : (byte)0;

    public void I16(short v) => BinaryPrimitives.WriteInt16LittleEndian(Reserve(2), v);

    public void U32(uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), v);

    public void I32(int v) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), v);

    public void I64(long v) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), v);

    public void U64(ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), v);

    public void F64(double v) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), v);

    /// <summary>An enum as one byte (every enum of the protocols has fewer than 256 values, none negative).</summary>
    public void Enum<T>(T value)
        where T : unmanaged, System.Enum
    {
        long v = Unsafe.SizeOf<T>() switch
        {
            1 => Unsafe.As<T, byte>(ref value),
            2 => Unsafe.As<T, short>(ref value),
            4 => Unsafe.As<T, int>(ref value),
            _ => Unsafe.As<T, long>(ref value),
        };
        if ((ulong)v > byte.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name} {value} does not fit the wire's one byte");
        }

        U8((byte)v);
    }

    public void String(string? s)
    {
        if (s is null)
        {
            I32(-1);
            return;
        }

        var span = Reserve(4 + Encoding.UTF8.GetMaxByteCount(s.Length));
        int written = Encoding.UTF8.GetBytes(s, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, written);
        _length -= span.Length - 4 - written;
    }

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        I32(bytes.Length);
        bytes.CopyTo(Reserve(bytes.Length));
    }

    public void Bytes(ImmutableArray<byte> bytes)
    {
        if (bytes.IsDefault)
        {
            I32(-1);
            return;
        }

        Bytes(bytes.AsSpan());
    }

    public void Int32s(ImmutableArray<int> values) => Array(values, static (w, v) => w.I32(v));

    public void Int64s(ReadOnlySpan<long> values)
    {
        I32(values.Length);
        foreach (long v in values)
        {
            I64(v);
        }
    }

    /// <summary>
    /// An actor reference as its full path with the system's address (the serialization
    /// transport's, when remoting sends it), so the receiving node resolves it to the actor
    /// where it lives.
    /// </summary>
    public void Ref(IActorRef? actor)
    {
        if (actor is null)
        {
            U8(0);
        }
        else if (actor.IsNobody())
        {
            U8(1);
        }
        else
        {
            U8(2);
            String(Akka.Serialization.Serialization.SerializedActorPath(actor));
        }
    }

    public void Array<T>(ImmutableArray<T> items, Action<WireWriter, T> write)
    {
        if (items.IsDefault)
        {
            I32(-1);
            return;
        }

        I32(items.Length);
        foreach (var item in items)
        {
            write(this, item);
        }
    }

    public void List<T>(IReadOnlyList<T> items, Action<WireWriter, T> write)
    {
        I32(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            write(this, items[i]);
        }
    }

    /// <summary>A dictionary's entries in its own enumeration order, which the reader keeps.</summary>
    public void Map<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> map, Action<WireWriter, TKey> key, Action<WireWriter, TValue> value)
    {
        I32(map.Count);
        foreach (var (k, v) in map)
        {
            key(this, k);
            value(this, v);
        }
    }

    /// <summary>Presence flag, then the value when there is one.</summary>
    public void Optional<T>(T? value, Action<WireWriter, T> write)
        where T : class
    {
        Bool(value is not null);
        if (value is not null)
        {
            write(this, value);
        }
    }

    private Span<byte> Reserve(int n)
    {
        if (_buffer.Length - _length < n)
        {
            Grow(n);
        }

        var span = _buffer.AsSpan(_length, n);
        _length += n;
        return span;
    }

    private void Grow(int n)
    {
        int size = (int)Math.Min(System.Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_length + n));
        if (size - _length < n)
        {
            throw new InvalidOperationException($"a message of more than {System.Array.MaxLength} bytes cannot be serialized");
        }

        System.Array.Resize(ref _buffer, size);
    }
}
