using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// Reads a trace file written by <see cref="TraceRecorder"/>. <see cref="Open"/> checks every
/// block (<see cref="TraceFrame"/>) and says in <see cref="Integrity"/> exactly what it
/// recovered from a file that was cut short or damaged; records then stream from the intact
/// blocks in file order (each thread's buffer in turn, so only roughly by sequence), and
/// <see cref="Records"/> and <see cref="RecordsOf"/> load and sort when a whole order is needed.
/// </summary>
public sealed class TraceReader
{
    private readonly IReadOnlyList<Block> _blocks;
    private TraceRecord[]? _all;

    private TraceReader(string path, TraceMetadata metadata, IReadOnlyList<Block> blocks, TraceIntegrity integrity)
    {
        Path = path;
        Metadata = metadata;
        _blocks = blocks;
        Integrity = integrity;
    }

    public string Path { get; }

    public TraceMetadata Metadata { get; }

    public TraceIntegrity Integrity { get; }

    /// <summary>Records in the intact blocks.</summary>
    public long RecordCount => Integrity.RecordsRecovered;

    /// <summary>All records in sequence order (loaded once; for large traces prefer <see cref="Stream"/>).</summary>
    public IReadOnlyList<TraceRecord> Records => _all ??= Sorted(Stream());

    /// <summary>One VM's records in sequence order.</summary>
    public IReadOnlyList<TraceRecord> RecordsOf(int vm) => _all is not null ? _all.Where(r => r.Vm == vm).ToArray() : Sorted(Stream().Where(r => r.Vm == vm));

    /// <summary>
    /// Check the file block by block. Throws <see cref="InvalidDataException"/> only when nothing
    /// can be read: not a trace, a format this version does not read, or cut before its first block.
    /// </summary>
    public static TraceReader Open(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        Span<byte> magic = stackalloc byte[8];
        int got = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        if (got < magic.Length || !magic.SequenceEqual(TraceFrame.Magic))
        {
            throw new InvalidDataException(got >= TraceFrame.MagicPrefix.Length && magic[..TraceFrame.MagicPrefix.Length].SequenceEqual(TraceFrame.MagicPrefix)
                ? $"{path} is a trace in an older format ({System.Text.Encoding.ASCII.GetString(magic[..got])}), written by an earlier ActorVmm; this version reads {System.Text.Encoding.ASCII.GetString(TraceFrame.Magic)}: record the run again"
                : got < magic.Length && magic[..got].SequenceEqual(TraceFrame.Magic[..got])
                    ? $"{path} is cut short before its first block ({got} bytes): the run was interrupted before anything was recorded"
                    : $"{path} is not an ActorVmm trace (it should start with {System.Text.Encoding.ASCII.GetString(TraceFrame.Magic)})");
        }

        return new Scan(path, file).Run();
    }

    /// <summary>Every record of the intact blocks, in file order, without holding them all.</summary>
    public IEnumerable<TraceRecord> Stream()
    {
        if (_blocks.Count == 0)
        {
            yield break;
        }

        using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        byte[] payload = [];
        TraceRecord[] records = [];
        byte[] columns = [];
        foreach (var block in _blocks)
        {
            if (payload.Length < block.Length)
            {
                payload = new byte[block.Length];
            }

            if (records.Length < block.Records)
            {
                records = new TraceRecord[block.Records];
            }

            file.Position = block.Offset;
            file.ReadExactly(payload, 0, block.Length);
            if (columns.Length < block.Records * TraceRecord.Size)
            {
                columns = new byte[block.Records * TraceRecord.Size];
            }

            var bytes = columns.AsSpan(0, block.Records * TraceRecord.Size);
            if (!BrotliDecoder.TryDecompress(payload.AsSpan(0, block.Length), bytes, out int written) || written != bytes.Length)
            {
                // Its checksum matched what the recorder wrote: the file changed since it was opened.
                throw new InvalidDataException($"{Path}: the block at byte {block.Offset - TraceFrame.HeaderSize} does not decompress to its {block.Records} records although its checksum is right; was the file changed while it was read?");
            }

            TraceBlockCodec.Decode(bytes, records.AsSpan(0, block.Records));
            for (int i = 0; i < block.Records; i++)
            {
                yield return records[i];
            }
        }
    }

    private static TraceRecord[] Sorted(IEnumerable<TraceRecord> records)
    {
        var all = records.ToArray();
        Array.Sort(all, static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return all;
    }

    /// <summary>An intact block of records: where its payload is.</summary>
    private readonly record struct Block(long Offset, int Length, int Records);

    /// <summary>One pass over the file's blocks, checking each.</summary>
    private sealed class Scan(string path, FileStream file)
    {
        private readonly List<Block> _blocks = new();
        private readonly List<string> _problems = new();
        private readonly long _length = file.Length;
        private TraceMetadata? _metadata;
        private TraceEnd? _end;
        private long _recovered;
        private long _lost;
        private bool _cut;
        private byte[] _payload = new byte[1 << 17];

        public TraceReader Run()
        {
            long position = TraceFrame.Magic.Length;
            Span<byte> header = stackalloc byte[TraceFrame.HeaderSize];
            while (position < _length && _end is null)
            {
                if (_length - position < TraceFrame.HeaderSize)
                {
                    Cut($"inside a block header at byte {position:N0}");
                    break;
                }

                file.Position = position;
                file.ReadExactly(header);
                if (!TraceFrame.TryReadHeader(header, out var block))
                {
                    long next = FindNextBlock(position + 1);
                    string lostAt = $"the bytes from {position:N0} to {(next < 0 ? _length : next):N0} are damaged (no intact block header)";
                    if (next < 0)
                    {
                        _problems.Add($"{lostAt}; no intact block follows, so the records there are lost and the file has no end block");
                        _cut = true;
                        break;
                    }

                    _problems.Add($"{lostAt}: skipped to the next block; the records there are lost");
                    position = next;
                    continue;
                }

                long payloadAt = position + TraceFrame.HeaderSize;
                if (block.PayloadLength > _length - payloadAt)
                {
                    _lost += block.Records;
                    Cut(block.Type == TraceBlockType.End
                        ? $"inside its end block at byte {position:N0}"
                        : $"inside a block at byte {position:N0}, whose {block.Records:N0} records are lost");
                    break;
                }

                if (_payload.Length < block.PayloadLength)
                {
                    _payload = new byte[block.PayloadLength];
                }

                var payload = _payload.AsSpan(0, block.PayloadLength);
                file.ReadExactly(payload);
                position = payloadAt + block.PayloadLength;
                if (!TraceFrame.PayloadMatches(block, payload))
                {
                    _lost += block.Records;
                    _problems.Add(block.Type switch
                    {
                        TraceBlockType.Records => $"the block at byte {payloadAt - TraceFrame.HeaderSize:N0} fails its checksum: its {block.Records:N0} records are lost",
                        TraceBlockType.Metadata => $"the metadata block fails its checksum: the scenario, node and VM names are unknown",
                        _ => $"the end block at byte {payloadAt - TraceFrame.HeaderSize:N0} fails its checksum",
                    });
                    continue;
                }

                Accept(block, payload, payloadAt);
            }

            if (_end is null && !_cut)
            {
                Cut("after its last complete block, with no end block");
            }

            if (_end is not null && _end.Records != _recovered && _problems.Count == 0)
            {
                _problems.Add($"the end block counts {_end.Records:N0} records but the blocks hold {_recovered:N0}");
            }
            else if (_end is not null && _problems.Count > 0)
            {
                _problems.Add($"{_recovered:N0} of the {_end.Records:N0} records the end block counts were recovered");
            }

            var metadata = _metadata ?? new TraceMetadata("(unknown: the metadata block is damaged)", 0, new Dictionary<int, string>());
            return new TraceReader(path, metadata, _blocks, new TraceIntegrity(_recovered, _lost, _end, _problems));
        }

        private void Accept(TraceBlockHeader block, ReadOnlySpan<byte> payload, long payloadAt)
        {
            switch (block.Type)
            {
                case TraceBlockType.Metadata when _metadata is null:
                    _metadata = TraceMetadataJson.Read(payload);
                    if (_metadata is null)
                    {
                        _problems.Add("the metadata block cannot be read: the scenario, node and VM names are unknown");
                    }

                    break;
                case TraceBlockType.Records:
                    _blocks.Add(new Block(payloadAt, block.PayloadLength, block.Records));
                    _recovered += block.Records;
                    break;
                case TraceBlockType.End:
                    _end = TraceMetadataJson.ReadEnd(payload);
                    if (_end is null)
                    {
                        _problems.Add("the end block cannot be read");
                    }

                    break;
                default:
                    _problems.Add($"a block of unknown type {(int)block.Type} at byte {payloadAt - TraceFrame.HeaderSize:N0} was skipped");
                    break;
            }
        }

        private void Cut(string where)
        {
            _cut = true;
            _problems.Add($"trace ends early at record {_recovered:N0}: the run was interrupted (the file stops {where})");
        }

        /// <summary>The next position at or after <paramref name="from"/> where an intact block header starts, or -1.</summary>
        private long FindNextBlock(long from)
        {
            var window = new byte[1 << 16];
            Span<byte> sync = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(sync, TraceFrame.Sync);
            long start = from;
            while (start + TraceFrame.HeaderSize <= _length)
            {
                file.Position = start;
                int n = file.ReadAtLeast(window, Math.Min(window.Length, (int)Math.Min(int.MaxValue, _length - start)), throwOnEndOfStream: false);
                var span = window.AsSpan(0, n);
                int offset = 0;
                while (true)
                {
                    int hit = span[offset..].IndexOf(sync);
                    if (hit < 0)
                    {
                        break;
                    }

                    int at = offset + hit;
                    if (at + TraceFrame.HeaderSize > n)
                    {
                        break; // read again from here
                    }

                    if (TraceFrame.TryReadHeader(span.Slice(at, TraceFrame.HeaderSize), out _))
                    {
                        return start + at;
                    }

                    offset = at + 1;
                }

                if (n < window.Length)
                {
                    return -1;
                }

                start += n - TraceFrame.HeaderSize + 1;
            }

            return -1;
        }
    }
}
