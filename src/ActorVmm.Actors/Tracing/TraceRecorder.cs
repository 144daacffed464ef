using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ActorVmm.Actors.Tracing;

/// <summary>
/// Records trace records from every actor of a node. Each thread fills its own buffer and
/// only takes the file lock when the buffer is full, so recording does not serialise the
/// actors; the sequence number gives the global order back.
/// </summary>
public sealed class TraceRecorder : IDisposable
{
    private const int BufferRecords = 4096;
    private static readonly byte[] Magic = "AVMTRC01"u8.ToArray();

    private readonly Stream? _file;
    private readonly GZipStream? _zip;
    private readonly ThreadLocal<Buffer>? _buffers;
    private readonly object _sink = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _sequence;
    private long _written;
    private bool _disposed;

    private TraceRecorder()
    {
    }

    public TraceRecorder(string path, TraceMetadata metadata)
    {
        Path = path;
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _zip = new GZipStream(_file, CompressionLevel.Fastest);
        _buffers = new ThreadLocal<Buffer>(() => new Buffer(), trackAllValues: true);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            scenario = metadata.Scenario,
            physicalCpus = metadata.PhysicalCpus,
            vms = metadata.VmNames.ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value),
        });
        _zip.Write(Magic);
        Span<byte> header = stackalloc byte[8];
        BitConverter.TryWriteBytes(header, TraceRecord.Size);
        BitConverter.TryWriteBytes(header[4..], json.Length);
        _zip.Write(header);
        _zip.Write(json);
    }

    /// <summary>A recorder that records nothing (the trace switched off).</summary>
    public static TraceRecorder Disabled { get; } = new();

    public bool Enabled => _buffers is not null;

    public string? Path { get; }

    public long RecordCount => Interlocked.Read(ref _sequence);

    public void Record(TraceKind kind, int vm, int vcpu, int pcpu, uint pc, ushort aux = 0, uint d0 = 0, uint d1 = 0, uint d2 = 0)
    {
        if (_buffers is null)
        {
            return;
        }

        var buffer = _buffers.Value!;
        ref var r = ref buffer.Records[buffer.Count];
        r.Sequence = Interlocked.Increment(ref _sequence);
        r.WallNanoseconds = (long)((Stopwatch.GetTimestamp() - _start) * (1e9 / Stopwatch.Frequency));
        r.Vm = (ushort)vm;
        r.Vcpu = (byte)vcpu;
        r.Pcpu = (byte)pcpu;
        r.Kind = kind;
        r.Aux = aux;
        r.GuestPc = pc;
        r.D0 = d0;
        r.D1 = d1;
        r.D2 = d2;
        if (++buffer.Count == BufferRecords)
        {
            Flush(buffer);
        }
    }

    private void Flush(Buffer buffer)
    {
        lock (_sink)
        {
            if (!_disposed)
            {
                _zip!.Write(MemoryMarshal.AsBytes(buffer.Records.AsSpan(0, buffer.Count)));
                _written += buffer.Count;
            }
        }

        buffer.Count = 0;
    }

    /// <summary>Write out every thread's remaining records and close the file. Call once no actor records any more.</summary>
    public void Dispose()
    {
        if (_buffers is null || _disposed)
        {
            return;
        }

        foreach (var buffer in _buffers.Values)
        {
            if (buffer.Count > 0)
            {
                Flush(buffer);
            }
        }

        lock (_sink)
        {
            _disposed = true;
            _zip!.Dispose();
            _file!.Dispose();
        }

        _buffers.Dispose();
    }

    private sealed class Buffer
    {
        public readonly TraceRecord[] Records = new TraceRecord[BufferRecords];
        public int Count;
    }

    internal static ReadOnlySpan<byte> FileMagic => Magic;

    internal static Encoding MetadataEncoding => Encoding.UTF8;
}
