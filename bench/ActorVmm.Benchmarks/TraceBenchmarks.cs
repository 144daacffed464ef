using System.Diagnostics;
using ActorVmm.Cpu;
using ActorVmm.Monitor;
using ActorVmm.Monitor.Tracing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace ActorVmm.Benchmarks;

/// <summary>
/// What one trace record costs the actor that records it, against the two things every
/// record must do: take a wall-clock timestamp and a global sequence number. A recorder's
/// writer thread compresses in the background; disposing it (draining every buffer) is part
/// of each operation, so the background work counts when it cannot keep up.
/// </summary>
[Config(typeof(TraceBenchmarkConfig))]
public class TraceBenchmarks
{
    private const int Records = 1_000_000;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"actorvmm-bench-{Environment.ProcessId}.trace");
    private long _sequence;

    [Benchmark(Baseline = true, OperationsPerInvoke = Records, Description = "Stopwatch.GetTimestamp")]
    public long Timestamp()
    {
        long sum = 0;
        for (int i = 0; i < Records; i++)
        {
            sum += Stopwatch.GetTimestamp();
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Records, Description = "Interlocked.Increment (the sequence)")]
    public long Sequence()
    {
        long sum = 0;
        for (int i = 0; i < Records; i++)
        {
            sum += Interlocked.Increment(ref _sequence);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Records, Description = "TraceRecorder.Record, file written, stamp-every 16")]
    public long Record() => RecordTrapsAndDecisions(TraceMetadata.DefaultStampEvery);

    [Benchmark(OperationsPerInvoke = Records, Description = "TraceRecorder.Record, file written, stamp-every 1")]
    public long RecordExact() => RecordTrapsAndDecisions(1);

    // A trap and its decision in turn, as the trap path records them.
    private long RecordTrapsAndDecisions(int stampEvery)
    {
        using var recorder = new TraceRecorder(_path, new TraceMetadata("bench", 1, new Dictionary<int, string>(), StampEvery: stampEvery));
        for (int i = 0; i < Records; i += 2)
        {
            uint pc = 0xC000_0000u + (uint)(i & 0xFFF);
            recorder.Record(1, 0, 0, i * 64L, pc, new TrapEvent(TrapKind.Exception, ExcCode.CpU, 0x4082_6000, 0, false, false, 0));
            recorder.Record(1, 0, 0, i * 64L + 95, pc, EmulateEvent.Cp0Access(PrivilegedOp.Mtc0, 12, 0x1000_0001));
        }

        return recorder.RecordCount;
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    private sealed class TraceBenchmarkConfig : ManualConfig
    {
        public TraceBenchmarkConfig()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1).WithId("short10"));
        }
    }
}
