using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ActorVmm.Monitor;

/// <summary>
/// A guest page's content address: the first 128 bits of the SHA-256 of its 4 KB. Pages with
/// the same bytes (in one VM, across VMs, across checkpoints) have the same id and are stored
/// once. 128 bits keep a checkpoint's manifest small; an accidental collision would need about
/// 2^64 distinct pages in one store.
/// </summary>
public readonly record struct PageId(ulong High, ulong Low)
{
    public const int Size = 16;

    public static PageId Of(ReadOnlySpan<byte> page)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(page, hash);
        return new PageId(BinaryPrimitives.ReadUInt64BigEndian(hash), BinaryPrimitives.ReadUInt64BigEndian(hash[8..]));
    }

    public override string ToString() => $"{High:x16}{Low:x16}";
}
