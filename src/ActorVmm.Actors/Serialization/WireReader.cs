using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;

namespace ActorVmm.Actors.Serialization;

/// <summary>Reads one element of a list or map: the reader is a ref struct, so it is passed by reference.</summary>
public delegate T WireRead<out T>(ref WireReader reader);

/// <summary>
/// Little-endian primitives out of a message's bytes, the mirror of <see cref="WireWriter"/>.
/// Everything it cannot trust is checked: running past the end, a flag that is not 0 or 1, an
/// enum value the type does not define, a count larger than the bytes left could hold. Each
/// failure is a <see cref="SerializationException"/> saying where, so a truncated or corrupt
/// payload is refused rather than turned into a wrong message.
/// </summary>
public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly ExtendedActorSystem? _system;
    private int _position;

    public WireReader(ReadOnlySpan<byte> data, ExtendedActorSystem? system)
    {
        _data = data;
        _system = system;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte U8() => Take(1)[0];

    public bool Bool() => Take(1)[0] switch
    {
        0 => false,
        1 => true,
        var b => throw Corrupt($"a flag holds {b}, not 0 or 1"),
    };

    public short I16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public double F64() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public T Enum<T>()
        where T : unmanaged, System.Enum
    {
        byte v = U8();
        if (!EnumValues<T>.IsDefined(v))
        {
            throw Corrupt($"{typeof(T).Name} has no value {v}");
        }

        switch (Unsafe.SizeOf<T>())
        {
            case 1:
                return Unsafe.As<byte, T>(ref v);
            case 2:
                short s = v;
                return Unsafe.As<short, T>(ref s);
            case 4:
                int i = v;
                return Unsafe.As<int, T>(ref i);
            default:
                long l = v;
                return Unsafe.As<long, T>(ref l);
        }
    }

    public string? NullableString()
    {
        int n = Length(1, allowNull: true);
        return n < 0 ? null : Encoding.UTF8.GetString(Take(n));
    }

    public string String() => NullableString() ?? throw Corrupt("a string that cannot be null is null");

    public byte[] ByteArray() => Take(Length(1, allowNull: false)).ToArray();

    public ReadOnlySpan<byte> ByteSpan() => Take(Length(1, allowNull: false));

    public ImmutableArray<byte> Bytes()
    {
        int n = Length(1, allowNull: true);
        return n < 0 ? default : ImmutableCollectionsMarshal.AsImmutableArray(Take(n).ToArray());
    }

    public ImmutableArray<int> Int32s() => Array(static (ref WireReader r) => r.I32(), 4);

    public long[] Int64s()
    {
        var values = new long[Length(8, allowNull: false)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = I64();
        }

        return values;
    }

    public IActorRef? Ref()
    {
        switch (U8())
        {
            case 0:
                return null;
            case 1:
                return ActorRefs.Nobody;
            case 2:
                string path = String();
                if (_system is null)
                {
                    throw new InvalidOperationException("an actor reference can only be read with the actor system that resolves it");
                }

                return _system.Provider.ResolveActorRef(path);
            case var tag:
                throw Corrupt($"an actor reference has tag {tag}, not 0, 1 or 2");
        }
    }

    public IActorRef RequiredRef() => Ref() ?? throw Corrupt("an actor reference that cannot be null is null");

    /// <param name="minItemBytes">The fewest bytes one item takes, so that a corrupt count fails before the allocation.</param>
    public ImmutableArray<T> Array<T>(WireRead<T> read, int minItemBytes)
    {
        int n = Length(minItemBytes, allowNull: true);
        if (n < 0)
        {
            return default;
        }

        var items = new T[n];
        for (int i = 0; i < n; i++)
        {
            items[i] = read(ref this);
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(items);
    }

    public T[] List<T>(WireRead<T> read, int minItemBytes)
    {
        var items = new T[Length(minItemBytes, allowNull: false)];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = read(ref this);
        }

        return items;
    }

    public Dictionary<TKey, TValue> Map<TKey, TValue>(WireRead<TKey> key, WireRead<TValue> value, int minEntryBytes)
        where TKey : notnull
    {
        int n = Length(minEntryBytes, allowNull: false);
        var map = new Dictionary<TKey, TValue>(n);
        for (int i = 0; i < n; i++)
        {
            var k = key(ref this);
            if (!map.TryAdd(k, value(ref this)))
            {
                throw Corrupt($"a map holds the key {k} twice");
            }
        }

        return map;
    }

    public ImmutableDictionary<TKey, TValue> ImmutableMap<TKey, TValue>(WireRead<TKey> key, WireRead<TValue> value, int minEntryBytes)
        where TKey : notnull => Map(key, value, minEntryBytes).ToImmutableDictionary();

    public T? Optional<T>(WireRead<T> read)
        where T : class => Bool() ? read(ref this) : null;

    /// <summary>A message must use every byte it came with: more means it is not what its manifest says.</summary>
    public readonly void End()
    {
        if (Remaining != 0)
        {
            throw new SerializationException($"{Remaining} bytes are left after the last field (of {_data.Length})");
        }
    }

    public readonly SerializationException Corrupt(string what) => new($"{what} (at byte {_position} of {_data.Length})");

    private int Length(int minItemBytes, bool allowNull)
    {
        int at = _position;
        int n = I32();
        if (n == -1 && allowNull)
        {
            return -1;
        }

        if (n < 0 || (long)n * Math.Max(1, minItemBytes) > Remaining)
        {
            throw new SerializationException($"a count of {n} at byte {at} does not fit in the {Remaining} bytes left (of {_data.Length}): the payload is truncated or corrupt");
        }

        return n;
    }

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n > Remaining)
        {
            throw new SerializationException($"the payload ends at byte {_data.Length}, {n - Remaining} bytes short of a field at byte {_position}: it is truncated or corrupt");
        }

        var taken = _data.Slice(_position, n);
        _position += n;
        return taken;
    }

    /// <summary>The values an enum defines, looked up once per type (reflection stays off the per-message path).</summary>
    private static class EnumValues<T>
        where T : unmanaged, System.Enum
    {
        private static readonly bool[] Defined = Build();

        public static bool IsDefined(byte v) => v < Defined.Length && Defined[v];

        private static bool[] Build()
        {
            var defined = new bool[256];
            foreach (var value in System.Enum.GetValues<T>())
            {
                long v = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                if (v is >= 0 and < 256)
                {
                    defined[v] = true;
                }
            }

            return defined;
        }
    }
}
