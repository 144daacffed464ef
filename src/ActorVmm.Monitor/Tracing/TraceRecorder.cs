using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ActorVmm.Monitor.Tracing;

/// <summary>
/// Records trace records from every actor of a node. Each thread fills its own buffer; a full
/// buffer is handed to a writer thread that finishes the records' times, compresses the
/// buffer and appends it to the file as one checked block (<see cref="TraceFrame"/>), so the
/// actors pay only for filling in a record (the sequence number gives the order back).
/// </summary>
public sealed class TraceRecorder : IDisposable
{
    // 1,700 records (81,600 bytes) stay under the large-object threshold (85 KB): the buffers
    // recycle through gen-0 instead of forcing gen-2 collections.
    private const int BufferRecords = 1700;

    // A sample is also due when this many simulated cycles passed on a thread since its last
    // exact time: a guest that runs long between traps (compute-bound) then has every trap
    // timed, and no interpolation stretches over a long stretch of guest code.
    private const long MaxCyclesBetweenStamps = 20_000;

    // Brotli's fastest quality, on blocks laid out by TraceBlockCodec: about 4 bytes a record.
    private const int BrotliQuality = 0;
    private const int BrotliWindow = 18;

    // The buffer this thread last recorded into, and for which recorder: one field read on the
    // common path, where a ThreadLocal would be a dictionary lookup.
    [ThreadStatic]
    private static Buffer? t_buffer;

    private readonly Stream? _file;
    private readonly BlockingCollection<Buffer>? _full;
    private readonly Thread? _writer;
    private readonly ConcurrentQueue<TraceRecord[]> _spare = new();
    private readonly List<Buffer> _handedOut = new();
    private readonly int _stampEvery;
    private readonly double _nanosecondsPerTick = 1e9 / Stopwatch.Frequency;
    private readonly byte[] _columns = new byte[BufferRecords * TraceRecord.Size];
    private byte[] _compressed = [];
    private long _sequence;
    private long _blocks;
    private volatile bool _closed;

    private TraceRecorder()
    {
    }

    public TraceRecorder(string path, TraceMetadata metadata)
    {
        if (metadata.StampEvery < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(metadata), "trace stamp-every must be at least 1");
        }

        Path = path;
        _stampEvery = metadata.StampEvery;
        Metadata = metadata with { StartNanoseconds = ToNanoseconds(Stopwatch.GetTimestamp()) };
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _file.Write(TraceFrame.Magic);
        WriteBlock(TraceBlockType.Metadata, TraceMetadataJson.Write(Metadata), 0);

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

    public TraceMetadata? Metadata { get; }

    public long RecordCount => Interlocked.Read(ref _sequence);

    /// <summary>
    /// Record <paramref name="e"/>, made by <paramref name="vm"/>'s vCPU on a physical CPU at
    /// simulated <paramref name="cycle"/> (<see cref="TraceRecord.NoCycle"/> if unknown) and guest <paramref name="pc"/>.
    /// </summary>
    public void Record<TEvent>(int vm, int vcpu, int pcpu, long cycle, uint pc, in TEvent e)
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
        if (TEvent.Timing == TraceTiming.Exact)
        {
            // The thread may wait after this (a yield, a memory-manager round trip): its next
            // trap-path record opens a sample, so no interpolation spans the wait.
            buffer.Countdown = 0;
            r.Nanoseconds = Stopwatch.GetTimestamp();
            r.Flags = TraceRecordFlags.None;
        }
        else if (StampDue<TEvent>(buffer, cycle))
        {
            r.Nanoseconds = Stopwatch.GetTimestamp();
            r.Flags = TraceRecordFlags.None;
        }
        else
        {
            r.Nanoseconds = 0;
            r.Flags = TraceRecordFlags.Interpolated;
        }

        r.Cycle = cycle;
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
            if (r.Interpolated)
            {
                // The last record of a block is exact, so a block's interpolation never needs the next one.
                r.Nanoseconds = Stopwatch.GetTimestamp();
                r.Flags = TraceRecordFlags.None;
            }

            t_buffer = null;
            Submit(buffer);
        }
    }

    /// <summary>Whether a trap-path record reads the clock (<see cref="TraceTiming"/>).</summary>
    private bool StampDue<TEvent>(Buffer buffer, long cycle)
        where TEvent : struct, ITraceEvent<TEvent>
    {
        if (!buffer.Sampling
            && (--buffer.Countdown > 0 && Math.Abs(cycle - buffer.StampCycle) <= MaxCyclesBetweenStamps
                || TEvent.Timing == TraceTiming.SampleEnd)) // a decision whose trap was not timed: one exact end is no latency
        {
            return false;
        }

        buffer.StampCycle = cycle;
        if (TEvent.Timing == TraceTiming.SampleStart)
        {
            buffer.Sampling = true;
        }
        else if (TEvent.Timing == TraceTiming.SampleEnd && buffer.Sampling)
        {
            buffer.Sampling = false;
            buffer.Countdown = _stampEvery;
        }

        return true;
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
            if (_closed)
            {
                return; // recorded after the file was closed (an actor still running at shutdown): dropped
            }

            _full!.Add(buffer);
        }
    }

    private void WriteBuffers()
    {
        foreach (var buffer in _full!.GetConsumingEnumerable())
        {
            var records = buffer.Records.AsSpan(0, buffer.Count);
            FinishTimes(records);
            var bytes = _columns.AsSpan(0, records.Length * TraceRecord.Size);
            TraceBlockCodec.Encode(records, bytes);
            int max = BrotliEncoder.GetMaxCompressedLength(bytes.Length);
            if (_compressed.Length < max)
            {
                _compressed = new byte[max];
            }

            if (!BrotliEncoder.TryCompress(bytes, _compressed, out int written, BrotliQuality, BrotliWindow))
            {
                throw new InvalidOperationException("Brotli could not compress a trace block into its maximum compressed length");
            }

            WriteBlock(TraceBlockType.Records, _compressed.AsSpan(0, written), records.Length);
            _spare.Enqueue(buffer.Records);
        }
    }

    /// <summary>
    /// Clock ticks to nanoseconds, and the interpolated records' times: linear between the
    /// exact records around them in this buffer (one thread's records, in order); records after
    /// the last exact one (a buffer left partial at the end) get its time.
    /// </summary>
    private void FinishTimes(Span<TraceRecord> records)
    {
        int previous = -1;
        for (int i = 0; i < records.Length; i++)
        {
            if (records[i].Interpolated)
            {
                continue;
            }

            records[i].Nanoseconds = ToNanoseconds(records[i].Nanoseconds);
            if (previous >= 0 && i - previous > 1)
            {
                long from = records[previous].Nanoseconds;
                double step = (double)(records[i].Nanoseconds - from) / (i - previous);
                for (int k = previous + 1; k < i; k++)
                {
                    records[k].Nanoseconds = from + (long)(step * (k - previous));
                }
            }

            previous = i;
        }

        long last = previous >= 0 ? records[previous].Nanoseconds : Metadata!.StartNanoseconds;
        for (int k = previous + 1; k < records.Length; k++)
        {
            records[k].Nanoseconds = last;
        }
    }

    private long ToNanoseconds(long ticks) => Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * _nanosecondsPerTick);

    private void WriteBlock(TraceBlockType type, ReadOnlySpan<byte> payload, int records)
    {
        Span<byte> header = stackalloc byte[TraceFrame.HeaderSize];
        TraceFrame.WriteHeader(header, type, payload, records);
        _file!.Write(header);
        _file.Write(payload);
        // Into the operating system at once: a process killed outright loses only what the
        // threads had not handed over yet.
        _file.Flush();
        if (type == TraceBlockType.Records)
        {
            _blocks++;
        }
    }

    /// <summary>Write out every thread's remaining records and close the file, as at the end of a run.</summary>
    public void Dispose() => Close(interruption: null);

    /// <summary>
    /// Write out every thread's remaining records and close the file with its end block, which
    /// says how many records it holds and, when <paramref name="interruption"/> is given, that
    /// the run was cut short (by a signal). Call once no actor records any more; records made
    /// after it are dropped.
    /// </summary>
    public void Close(string? interruption)
    {
        List<Buffer> partial;
        lock (_handedOut)
        {
            if (_full is null || _closed)
            {
                return;
            }

            partial = _handedOut.Where(b => b.Count > 0).ToList();
            _handedOut.Clear();
            foreach (var buffer in partial)
            {
                _full.Add(buffer);
            }

            _closed = true;
        }

        _full.CompleteAdding();
        _writer!.Join();
        _full.Dispose();
        WriteBlock(TraceBlockType.End, TraceMetadataJson.WriteEnd(new TraceEnd(RecordCount, _blocks, interruption)), 0);
        _file!.Dispose();
    }

    private sealed class Buffer(TraceRecorder owner, TraceRecord[] records)
    {
        public readonly TraceRecorder Owner = owner;
        public readonly TraceRecord[] Records = records;
        public int Count;

        // Sampling state of this thread (a buffer belongs to one thread); a new buffer times its first record.
        public int Countdown;
        public bool Sampling;
        public long StampCycle;
    }
}
