using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// Reads a trace file written by <see cref="TraceRecorder"/>. Records stream in file order
/// (each thread's buffer in turn, so only roughly by sequence); <see cref="Records"/> and
/// <see cref="RecordsOf"/> load and sort when a whole order is needed.
/// </summary>
public sealed class TraceReader
{
    private readonly string _path;
    private readonly long _dataOffset;
    private TraceRecord[]? _all;

    private TraceReader(string path, TraceMetadata metadata, long dataOffset)
    {
        _path = path;
        Metadata = metadata;
        _dataOffset = dataOffset;
    }

    public TraceMetadata Metadata { get; }

    /// <summary>All records in sequence order (loaded once; for large traces prefer <see cref="Stream"/>).</summary>
    public IReadOnlyList<TraceRecord> Records => _all ??= Sorted(Stream());

    /// <summary>One VM's records in sequence order.</summary>
    public IReadOnlyList<TraceRecord> RecordsOf(int vm) => _all is not null ? _all.Where(r => r.Vm == vm).ToArray() : Sorted(Stream().Where(r => r.Vm == vm));

    public static TraceReader Open(string path)
    {
        using var zip = OpenData(path, 0, out long dataOffset, out var metadata);
        return new TraceReader(path, metadata, dataOffset);
    }

    /// <summary>Every record, in file order, without holding them all.</summary>
    public IEnumerable<TraceRecord> Stream()
    {
        using var zip = OpenData(_path, _dataOffset, out _, out _);
        var chunk = new TraceRecord[4096];
        while (true)
        {
            int filled = 0;
            var bytes = MemoryMarshal.AsBytes(chunk.AsSpan());
            while (filled < bytes.Length)
            {
                int n = zip.Read(bytes[filled..]);
                if (n == 0)
                {
                    break;
                }

                filled += n;
            }

            int count = filled / TraceRecord.Size;
            for (int i = 0; i < count; i++)
            {
                yield return chunk[i];
            }

            if (filled < MemoryMarshal.AsBytes(chunk.AsSpan()).Length)
            {
                yield break;
            }
        }
    }

    private static TraceRecord[] Sorted(IEnumerable<TraceRecord> records)
    {
        var all = records.ToArray();
        Array.Sort(all, static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return all;
    }

    /// <summary>The decompressed stream positioned at the first record (the header is read, or skipped when its length is known).</summary>
    private static BrotliStream OpenData(string path, long knownOffset, out long dataOffset, out TraceMetadata metadata)
    {
        var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[8];
        if (!TryReadExactly(file, magic) || !magic.SequenceEqual(TraceRecorder.FileMagic))
        {
            file.Dispose();
            throw new InvalidDataException($"{path} is not an ActorVmm trace (it should start with AVMTRC02)");
        }

        var zip = new BrotliStream(file, CompressionMode.Decompress);
        try
        {
            Span<byte> header = stackalloc byte[8];
            if (!TryReadExactly(zip, header) || BitConverter.ToInt32(header) != TraceRecord.Size)
            {
                throw new InvalidDataException($"{path}: unsupported trace record size");
            }

            var json = new byte[BitConverter.ToInt32(header[4..])];
            if (!TryReadExactly(zip, json))
            {
                throw new InvalidDataException($"{path}: truncated trace header");
            }

            dataOffset = 16 + json.Length;
            metadata = knownOffset == 0 ? ParseMetadata(json) : null!;
            return zip;
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private static TraceMetadata ParseMetadata(byte[] json)
    {
        var meta = JsonSerializer.Deserialize<JsonElement>(json);
        var names = new Dictionary<int, string>();
        foreach (var vm in meta.GetProperty("vms").EnumerateObject())
        {
            names[int.Parse(vm.Name, System.Globalization.CultureInfo.InvariantCulture)] = vm.Value.GetString() ?? vm.Name;
        }

        return new TraceMetadata(meta.GetProperty("scenario").GetString() ?? "", meta.GetProperty("physicalCpus").GetInt32(), names);
    }

    private static bool TryReadExactly(Stream stream, Span<byte> buffer)
    {
        try
        {
            stream.ReadExactly(buffer);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
