using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Collections.Concurrent;
using System.Text.Json;

namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// Records trace records from every actor of a node. Each thread fills its own buffer; a full
/// buffer is handed to a writer thread that compresses it into the file, so the actors pay
/// only for filling in a record (the sequence number gives the global order back).
/// </summary>
public sealed class TraceRecorder : IDisposable
{
    // 2,000 records (80 KB) stay under the large-object threshold (85 KB): the buffers recycle
    // through gen-0 instead of forcing gen-2 collections.
    private const int BufferRecords = 2000;
    // Uncompressed at the start of the file (Brotli streams have no magic of their own); the
    // rest is one Brotli stream: the header, then the records.
    private static readonly byte[] Magic = "AVMTRC02"u8.ToArray();

    // The buffer this thread last recorded into, and for which recorder: one field read on the
    // common path, where a ThreadLocal would be a dictionary lookup.
    [ThreadStatic]
    private static Buffer? t_buffer;

    private readonly Stream? _file;
    private readonly BrotliStream? _zip;
    private readonly BlockingCollection<Buffer>? _full;
    private readonly Thread? _writer;
    private readonly ConcurrentQueue<TraceRecord[]> _spare = new();
    private readonly List<Buffer> _handedOut = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly double _nanosecondsPerTick = 1e9 / Stopwatch.Frequency;
    private long _sequence;
    private bool _disposed;

    private TraceRecorder()
    {
    }

    public TraceRecorder(string path, TraceMetadata metadata)
    {
        Path = path;
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _file.Write(Magic);
        // Brotli at its fastest compresses these records as fast as gzip does, 1.6x smaller.
        _zip = new BrotliStream(_file, CompressionLevel.Fastest);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            scenario = metadata.Scenario,
            physicalCpus = metadata.PhysicalCpus,
            vms = metadata.VmNames.ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value),
        });
        Span<byte> header = stackalloc byte[8];
        BitConverter.TryWriteBytes(header, TraceRecord.Size);
        BitConverter.TryWriteBytes(header[4..], json.Length);
        _zip.Write(header);
        _zip.Write(json);

        // Unbounded: a recording actor must never block; a burst only costs memory until the
        // writer catches up.
        _full = new BlockingCollection<Buffer>();
        _writer = new Thread(WriteBuffers) { IsBackground = true, Name = "actorvmm trace writer" };
        _writer.Start();
    }

    /// <summary>A recorder that records nothing (the trace switched off).</summary>
    public static TraceRecorder Disabled { get; } = new();

    public bool Enabled => _full is not null;

    public string? Path { get; }

    public long RecordCount => Interlocked.Read(ref _sequence);

    /// <summary>Record <paramref name="e"/>, made by <paramref name="vm"/>'s vCPU on a physical CPU at guest <paramref name="pc"/>.</summary>
    public void Record<TEvent>(int vm, int vcpu, int pcpu, uint pc, in TEvent e)
        where TEvent : struct, ITraceEvent<TEvent>
    {
        if (_full is null)
        {
            return;
        }

        var buffer = t_buffer;
        if (buffer is null || buffer.Owner != this)
        {
            buffer = t_buffer = HandOut();
        }

        ref var r = ref buffer.Records[buffer.Count];
        r.Sequence = Interlocked.Increment(ref _sequence);
        r.WallNanoseconds = (long)((Stopwatch.GetTimestamp() - _start) * _nanosecondsPerTick);
        r.Vm = (ushort)vm;
        r.Vcpu = (byte)vcpu;
        r.Pcpu = (byte)pcpu;
        r.Kind = TEvent.Kind;
        r.GuestPc = pc;
        r.Aux = 0;
        r.D0 = 0;
        r.D1 = 0;
        r.D2 = 0;
        e.Encode(ref r);
        if (++buffer.Count == BufferRecords)
        {
            t_buffer = null;
            Submit(buffer);
        }
    }

    private Buffer HandOut()
    {
        var buffer = new Buffer(this, _spare.TryDequeue(out var records) ? records : new TraceRecord[BufferRecords]);
        lock (_handedOut)
        {
            _handedOut.Add(buffer);
        }

        return buffer;
    }

    private void Submit(Buffer buffer)
    {
        lock (_handedOut)
        {
            _handedOut.Remove(buffer);
        }

        _full!.Add(buffer);
    }

    private void WriteBuffers()
    {
        foreach (var buffer in _full!.GetConsumingEnumerable())
        {
            _zip!.Write(MemoryMarshal.AsBytes(buffer.Records.AsSpan(0, buffer.Count)));
            _spare.Enqueue(buffer.Records);
        }
    }

    /// <summary>Write out every thread's remaining records and close the file. Call once no actor records any more.</summary>
    public void Dispose()
    {
        if (_full is null || _disposed)
        {
            return;
        }

        _disposed = true;
        List<Buffer> partial;
        lock (_handedOut)
        {
            partial = _handedOut.Where(b => b.Count > 0).ToList();
            _handedOut.Clear();
        }

        foreach (var buffer in partial)
        {
            _full.Add(buffer);
        }

        _full.CompleteAdding();
        _writer!.Join();
        _full.Dispose();
        _zip!.Dispose();
        _file!.Dispose();
    }

    private sealed class Buffer(TraceRecorder owner, TraceRecord[] records)
    {
        public readonly TraceRecorder Owner = owner;
        public readonly TraceRecord[] Records = records;
        public int Count;
    }

    internal static ReadOnlySpan<byte> FileMagic => Magic;
}
