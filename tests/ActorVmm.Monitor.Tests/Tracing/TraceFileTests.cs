using ActorVmm.Cpu;
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
        var metadata = new TraceMetadata("round-trip", 2, new Dictionary<int, string> { [1] = "alpha", [2] = "beta" }, "node7");
        using (var recorder = new TraceRecorder(_path, metadata))
        {
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                for (int i = 0; i < perThread; i++)
                {
                    recorder.Record(t + 1, t, t % 2, 1000L * i, 0xC000_0000u + (uint)i, new TlbWriteInterceptedEvent(t, (uint)i, (uint)(t * 7), 0xDEAD_BEEF));
                }
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
            Assert.Equal(threads * perThread, recorder.RecordCount);
        }

        var reader = TraceReader.Open(_path);
        Assert.Equal("round-trip", reader.Metadata.Scenario);
        Assert.Equal("node7", reader.Metadata.Node);
        Assert.Equal(2, reader.Metadata.PhysicalCpus);
        Assert.Equal("beta", reader.Metadata.NameOf(2));
        Assert.True(reader.Integrity.Intact, string.Join("; ", reader.Integrity.Findings()));
        Assert.Empty(reader.Integrity.Findings());

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
                Assert.Equal(1000L * e.EntryHi, r.Cycle);
                Assert.Equal(0xC000_0000u + e.EntryHi, r.GuestPc);
                Assert.Equal(new TlbWriteInterceptedEvent(t, e.EntryHi, (uint)(t * 7), 0xDEAD_BEEF), e);
            });
            Assert.True(mine.Zip(mine.Skip(1)).All(p => p.Item1.Nanoseconds <= p.Item2.Nanoseconds), "a thread's clock went backwards");
            Assert.All(mine, r => Assert.True(r.Nanoseconds >= reader.Metadata.StartNanoseconds));
        }
    }

    [Fact]
    public void A_sampled_round_trip_is_timed_exactly_at_both_ends_and_the_others_are_interpolated_between_exact_times()
    {
        using (var recorder = new TraceRecorder(_path, Metadata(stampEvery: 4)))
        {
            for (int i = 0; i < 1000; i++)
            {
                recorder.Record(1, 0, 0, i * 100L, 0x400000, Trap());
                recorder.Record(1, 0, 0, i * 100L + 95, 0x400000, Decision());
            }
        }

        var records = TraceReader.Open(_path).Records;
        var exact = records.Where(r => !r.Interpolated).ToList();
        Assert.InRange(exact.Count, 1000 / 4, 2000 / 2); // about one round trip in every two (four records) is sampled
        for (int i = 0; i < records.Count; i += 2)
        {
            // A sample opens at a trap and closes at its decision: never one end alone.
            Assert.Equal(records[i].Interpolated, records[i + 1].Interpolated);
        }

        // Interpolated times lie between the exact times around them.
        for (int i = 1; i < records.Count - 1; i++)
        {
            Assert.InRange(records[i].Nanoseconds, records[i - 1].Nanoseconds, records[i + 1].Nanoseconds);
        }
    }

    [Fact]
    public void With_stamp_every_1_every_record_reads_the_clock()
    {
        using (var recorder = new TraceRecorder(_path, Metadata(stampEvery: 1)))
        {
            for (int i = 0; i < 100; i++)
            {
                recorder.Record(1, 0, 0, i * 10L, 0x400000, new L2TlbRefillEvent(0x1000, 7));
                recorder.Record(1, 0, 0, i * 10L, 0x400000, Trap());
                recorder.Record(1, 0, 0, i * 10L + 95, 0x400000, Decision());
            }
        }

        Assert.All(TraceReader.Open(_path).Records, r => Assert.False(r.Interpolated));
    }

    [Fact]
    public void A_trap_after_a_long_stretch_of_guest_code_is_timed()
    {
        using (var recorder = new TraceRecorder(_path, Metadata(stampEvery: 1000)))
        {
            for (int i = 0; i < 50; i++)
            {
                recorder.Record(1, 0, 0, i * 1_000_000L, 0x400000, Trap());
                recorder.Record(1, 0, 0, i * 1_000_000L + 95, 0x400000, Decision());
            }
        }

        Assert.All(TraceReader.Open(_path).Records, r => Assert.False(r.Interpolated));
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
    public void A_trace_in_the_previous_format_is_refused_with_a_clear_message()
    {
        File.WriteAllBytes(_path, [.. "AVMTRC02"u8, 0x1B, 0x2F, 0x00]);

        var error = Assert.Throws<InvalidDataException>(() => TraceReader.Open(_path));

        Assert.Contains("older format (AVMTRC02)", error.Message);
        Assert.Contains("record the run again", error.Message);
    }

    [Fact]
    public void A_trace_cut_by_one_byte_gives_every_record_back_and_says_it_ends_early()
    {
        long written = WriteTrace(5000);
        Truncate(new FileInfo(_path).Length - 1);

        var reader = TraceReader.Open(_path);

        Assert.Equal(written, reader.Stream().LongCount());
        Assert.False(reader.Integrity.Intact);
        Assert.Null(reader.Integrity.End);
        Assert.Contains(reader.Integrity.Findings(), f => f.StartsWith($"trace ends early at record {written:N0}: the run was interrupted", StringComparison.Ordinal));
    }

    [Fact]
    public void A_trace_cut_in_half_gives_back_the_blocks_before_the_cut_and_says_how_many_records_it_lost()
    {
        long written = WriteTrace(20_000);
        Truncate(new FileInfo(_path).Length / 2);

        var reader = TraceReader.Open(_path);
        var records = reader.Records;

        Assert.InRange(records.Count, 1, written - 1);
        Assert.Equal(reader.RecordCount, records.Count);
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Sequence)); // one thread: a prefix
        Assert.True(reader.Integrity.RecordsLost > 0);
        var finding = Assert.Single(reader.Integrity.Findings());
        Assert.StartsWith($"trace ends early at record {records.Count:N0}: the run was interrupted", finding);
        Assert.Contains($"whose {reader.Integrity.RecordsLost:N0} records are lost", finding);
    }

    [Fact]
    public void Five_flipped_bytes_lose_only_the_blocks_they_hit_and_each_is_named()
    {
        long written = WriteTrace(40_000);
        var bytes = File.ReadAllBytes(_path);
        var random = new Random(14);
        var hit = new HashSet<int>();
        for (int i = 0; i < 5; i++)
        {
            int at = random.Next(300, bytes.Length - 200);
            bytes[at] ^= 0x5A;
            hit.Add(at);
        }

        File.WriteAllBytes(_path, bytes);

        var reader = TraceReader.Open(_path);
        var records = reader.Stream().ToList();

        Assert.InRange(records.Count, written / 2, written - 1);
        Assert.Equal(written, records.Count + reader.Integrity.RecordsLost);
        Assert.Equal(written, reader.Integrity.End!.Records);
        Assert.All(records, r => Assert.Equal(new ResumedEvent((uint)r.Sequence), TraceEvents.As<ResumedEvent>(r)));
        var findings = reader.Integrity.Findings().ToList();
        Assert.InRange(findings.Count(f => f.Contains("fails its checksum", StringComparison.Ordinal)), 1, 5);
        Assert.Contains(findings, f => f == $"{records.Count:N0} of the {written:N0} records the end block counts were recovered");
    }

    [Fact]
    public void A_damaged_block_header_is_skipped_to_the_next_block()
    {
        long written = WriteTrace(10_000);
        var bytes = File.ReadAllBytes(_path);
        int second = IndexOfSync(bytes, IndexOfSync(bytes, IndexOfSync(bytes, 8) + 1) + 1); // metadata, first records block, second
        bytes[second + 9] ^= 0xFF; // its payload length
        File.WriteAllBytes(_path, bytes);

        var reader = TraceReader.Open(_path);

        Assert.Equal(written - 1700, reader.Stream().LongCount());
        Assert.Contains(reader.Integrity.Findings(), f => f.Contains($"from {second:N0}", StringComparison.Ordinal) && f.Contains("skipped to the next block", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_closed_after_a_signal_is_intact_and_says_it_was_interrupted()
    {
        var recorder = new TraceRecorder(_path, Metadata(stampEvery: 16));
        recorder.Record(1, 0, 0, 0, 0, new VmStartedEvent(0xC0001000));
        recorder.Close("SIGTERM");

        var reader = TraceReader.Open(_path);

        Assert.True(reader.Integrity.Intact);
        Assert.True(reader.Integrity.Interrupted);
        Assert.Equal("the run was interrupted (SIGTERM); the trace was closed cleanly and holds its 1 records up to there", Assert.Single(reader.Integrity.Findings()));
    }

    [Fact]
    public void Records_made_after_the_file_was_closed_are_dropped_without_an_exception()
    {
        var recorder = new TraceRecorder(_path, Metadata(stampEvery: 16));
        recorder.Dispose();

        for (int i = 0; i < 5000; i++)
        {
            recorder.Record(1, 0, 0, i, 0, new ResumedEvent((uint)i));
        }

        Assert.Equal(0, TraceReader.Open(_path).RecordCount);
    }

    [Fact]
    public void The_files_of_several_nodes_merge_in_time_order_each_in_its_own_sequence_order()
    {
        string other = _path + ".node2";
        try
        {
            using (var a = new TraceRecorder(_path, Metadata(stampEvery: 1, node: "node1")))
            using (var b = new TraceRecorder(other, Metadata(stampEvery: 1, node: "node2")))
            {
                for (int i = 0; i < 3000; i++)
                {
                    (i % 3 == 0 ? b : a).Record(1, 0, 0, i, 0, new ResumedEvent((uint)i));
                }
            }

            var set = TraceSet.Open([_path, other]);
            var merged = set.Merged().ToList();

            Assert.Equal(["node1", "node2"], set.Nodes);
            Assert.Equal(Enumerable.Range(0, 3000).Select(i => (uint)i), merged.Select(m => TraceEvents.As<ResumedEvent>(m.Record).Pc));
            Assert.All(merged, m => Assert.Equal(TraceEvents.As<ResumedEvent>(m.Record).Pc % 3 == 0 ? 1 : 0, m.Node));
        }
        finally
        {
            File.Delete(other);
        }
    }

    [Fact]
    public void The_disabled_recorder_records_nothing()
    {
        TraceRecorder.Disabled.Record(1, 0, 0, 0, 0, new DispatchEvent(1000, false));

        Assert.False(TraceRecorder.Disabled.Enabled);
        Assert.Equal(0, TraceRecorder.Disabled.RecordCount);
    }

    public void Dispose()
    {
        File.Delete(_path);
    }

    private static TraceMetadata Metadata(int stampEvery, string node = TraceMetadata.LocalNode) =>
        new("file test", 1, new Dictionary<int, string> { [1] = "guest" }, node, stampEvery);

    private static TrapEvent Trap() => new(TrapKind.Exception, ExcCode.CpU, 0x4082_6000, 0, false, false, 0);

    private static EmulateEvent Decision() => EmulateEvent.Cp0Access(PrivilegedOp.Mtc0, Cp0Register.Status, 1);

    /// <summary>One thread's records (Resumed, carrying their sequence number), closed normally.</summary>
    private long WriteTrace(int records)
    {
        using var recorder = new TraceRecorder(_path, Metadata(stampEvery: 16));
        for (int i = 1; i <= records; i++)
        {
            recorder.Record(1, 0, 0, i * 50L, 0x400000, new ResumedEvent((uint)i));
        }

        return recorder.RecordCount;
    }

    private void Truncate(long length)
    {
        using var file = new FileStream(_path, FileMode.Open, FileAccess.Write);
        file.SetLength(length);
    }

    private static int IndexOfSync(byte[] bytes, int from) =>
        from + bytes.AsSpan(from).IndexOf("AVBK"u8);
}
