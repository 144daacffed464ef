using ActorVmm.Monitor.Tracing;
using Xunit;

namespace ActorVmm.Monitor.Tests;

/// <summary>
/// The trace file round trip: records from many threads (the actors' dispatchers), buffers that
/// fill and ones left half full at the end, all come back once, in sequence order, field for field.
/// </summary>
public sealed class TraceFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"actorvmm-trace-{Guid.NewGuid():N}.trace");

    [Fact]
    public void Records_from_several_threads_come_back_once_each_in_sequence_order()
    {
        const int threads = 4;
        const int perThread = 4321; // two full buffers and a partial one per thread
        var metadata = new TraceMetadata("round-trip", 2, new Dictionary<int, string> { [1] = "alpha", [2] = "beta" });
        using (var recorder = new TraceRecorder(_path, metadata))
        {
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                for (int i = 0; i < perThread; i++)
                {
                    recorder.Record(t + 1, t, t % 2, 0xC000_0000u + (uint)i, new TlbWriteInterceptedEvent(t, (uint)i, (uint)(t * 7), 0xDEAD_BEEF));
                }
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
            Assert.Equal(threads * perThread, recorder.RecordCount);
        }

        var reader = TraceReader.Open(_path);
        Assert.Equal("round-trip", reader.Metadata.Scenario);
        Assert.Equal(2, reader.Metadata.PhysicalCpus);
        Assert.Equal("beta", reader.Metadata.NameOf(2));

        var records = reader.Records;
        Assert.Equal(threads * perThread, records.Count);
        Assert.Equal(Enumerable.Range(1, threads * perThread).Select(i => (long)i), records.Select(r => r.Sequence));
        for (int t = 0; t < threads; t++)
        {
            var mine = records.Where(r => r.Vm == t + 1).ToList();
            Assert.Equal(Enumerable.Range(0, perThread).Select(i => (uint)i), mine.Select(r => TraceEvents.As<TlbWriteInterceptedEvent>(r).EntryHi));
            Assert.All(mine, r =>
            {
                var e = TraceEvents.As<TlbWriteInterceptedEvent>(r);
                Assert.Equal(t, r.Vcpu);
                Assert.Equal(t % 2, r.Pcpu);
                Assert.Equal(0xC000_0000u + e.EntryHi, r.GuestPc);
                Assert.Equal(new TlbWriteInterceptedEvent(t, e.EntryHi, (uint)(t * 7), 0xDEAD_BEEF), e);
            });
            Assert.True(mine.Zip(mine.Skip(1)).All(p => p.Item1.WallNanoseconds <= p.Item2.WallNanoseconds), "a thread's clock went backwards");
        }
    }

    [Fact]
    public void A_file_that_is_not_a_trace_is_refused_by_name()
    {
        File.WriteAllText(_path, "machine = { memory = 64M }\n");

        var error = Assert.Throws<InvalidDataException>(() => TraceReader.Open(_path));

        Assert.Contains(_path, error.Message);
        Assert.Contains("not an ActorVmm trace", error.Message);
    }

    [Fact]
    public void The_disabled_recorder_records_nothing()
    {
        TraceRecorder.Disabled.Record(1, 0, 0, 0, new DispatchEvent(1000, false));

        Assert.False(TraceRecorder.Disabled.Enabled);
        Assert.Equal(0, TraceRecorder.Disabled.RecordCount);
    }

    public void Dispose()
    {
        File.Delete(_path);
    }
}
