using System.Buffers.Binary;
using System.IO.Hashing;

namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// The framing of a trace file (format 3): after the 8-byte magic, a sequence of blocks, each
/// a 24-byte header and a payload: the metadata (JSON), then blocks of records (one
/// thread's buffer each, laid out by <see cref="TraceBlockCodec"/> and Brotli-compressed on its own), then an end block (JSON: how many
/// records and blocks were written, and how the run ended). Each header carries a sync word,
/// the payload's length, record count and CRC-32, and a CRC-32 of itself, so a reader can
/// check every block, skip a damaged one (by its length, or by searching for the next sync
/// word when the header itself is damaged) and tell a file that was cut short.
/// </summary>
public static class TraceFrame
{
    public const int HeaderSize = 24;

    /// <summary>"AVMTRC" and the format version, uncompressed at the start of the file.</summary>
    public static ReadOnlySpan<byte> Magic => "AVMTRC03"u8;

    /// <summary>The first 6 bytes of every format's magic.</summary>
    public static ReadOnlySpan<byte> MagicPrefix => "AVMTRC"u8;

    /// <summary>"AVBK", little-endian: where a block starts.</summary>
    public const uint Sync = 0x4B425641;

    public static void WriteHeader(Span<byte> header, TraceBlockType type, ReadOnlySpan<byte> payload, int records)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, Sync);
        header[4] = (byte)type;
        header[5] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], records);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], Crc32.HashToUInt32(payload));
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], Crc32.HashToUInt32(header[..20]));
    }

    /// <summary>The header's fields, if its sync word and its own checksum are right.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out TraceBlockHeader block)
    {
        block = default;
        if (header.Length < HeaderSize
            || BinaryPrimitives.ReadUInt32LittleEndian(header) != Sync
            || BinaryPrimitives.ReadUInt32LittleEndian(header[20..]) != Crc32.HashToUInt32(header[..20]))
        {
            return false;
        }

        block = new TraceBlockHeader(
            (TraceBlockType)header[4],
            BinaryPrimitives.ReadInt32LittleEndian(header[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(header[16..]));
        return block.PayloadLength >= 0 && block.Records >= 0;
    }

    public static bool PayloadMatches(in TraceBlockHeader block, ReadOnlySpan<byte> payload) => Crc32.HashToUInt32(payload) == block.PayloadCrc;
}

public enum TraceBlockType : byte
{
    Metadata = 1,
    Records = 2,
    End = 3,
}

public readonly record struct TraceBlockHeader(TraceBlockType Type, int PayloadLength, int Records, uint PayloadCrc);
