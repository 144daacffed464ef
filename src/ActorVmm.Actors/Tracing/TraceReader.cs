using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ActorVmm.Actors.Tracing;

/// <summary>Reads a trace file written by <see cref="TraceRecorder"/>.</summary>
public sealed class TraceReader
{
    private TraceReader(TraceMetadata metadata, TraceRecord[] records)
    {
        Metadata = metadata;
        Records = records;
    }

    public TraceMetadata Metadata { get; }

    /// <summary>All records in sequence order.</summary>
    public IReadOnlyList<TraceRecord> Records { get; }

    public static TraceReader Open(string path)
    {
        using var file = File.OpenRead(path);
        using var zip = new GZipStream(file, CompressionMode.Decompress);
        Span<byte> magic = stackalloc byte[8];
        if (!TryReadExactly(zip, magic) || !magic.SequenceEqual(TraceRecorder.FileMagic))
        {
            throw new InvalidDataException($"{path} is not an ActorVmm trace (expected a gzip stream starting with AVMTRC01)");
        }

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

        var meta = JsonSerializer.Deserialize<JsonElement>(json);
        var names = new Dictionary<int, string>();
        foreach (var vm in meta.GetProperty("vms").EnumerateObject())
        {
            names[int.Parse(vm.Name, System.Globalization.CultureInfo.InvariantCulture)] = vm.Value.GetString() ?? vm.Name;
        }

        var metadata = new TraceMetadata(meta.GetProperty("scenario").GetString() ?? "", meta.GetProperty("physicalCpus").GetInt32(), names);
        var records = new List<TraceRecord>();
        var chunk = new TraceRecord[4096];
        var bytes = MemoryMarshal.AsBytes(chunk.AsSpan());
        while (true)
        {
            int filled = 0;
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
            records.AddRange(chunk.AsSpan(0, count));
            if (filled < bytes.Length)
            {
                break;
            }
        }

        var all = records.ToArray();
        Array.Sort(all, static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return new TraceReader(metadata, all);
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
