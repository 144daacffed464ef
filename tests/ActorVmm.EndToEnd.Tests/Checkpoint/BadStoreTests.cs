using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.EndToEnd.Tests.Monitor;
using Microsoft.Data.Sqlite;

namespace ActorVmm.EndToEnd.Tests.Checkpoint;

/// <summary>
/// A checkpoint store that cannot serve a VM: the VM stops with a message saying what is
/// wrong, nothing of a bad checkpoint is applied (its vCPU never runs), and a VM whose
/// checkpoints are sound resumes and finishes with its uninterrupted console. (A page is
/// stored once for every VM that has it, so a damaged row stops every VM whose checkpoint
/// refers to a page in it: the rows damaged here are ones only their own VM refers to.) A crash after
/// the last checkpoint is made by removing the "ended" events a finished run stored.
/// </summary>
public sealed class BadStoreTests(MonitorGuestsFixture guests) : IClassFixture<MonitorGuestsFixture>
{
    private const string Vms = """
        { name = pmake, cmdline = "run=pmake" }
        { name = raytrace, cmdline = "run=raytrace" }
        """;

    [Fact]
    public void A_corrupt_page_row_stops_that_vm_only_and_the_other_resumes_to_its_uninterrupted_console()
    {
        var (output, reference) = CrashedAfterLastCheckpoint();
        // One byte in the middle of pmake's last checkpoint (its state, manifest and new pages) changes.
        Rewrite(output, PmakeLast, row => row[row.Length / 2] ^= 0x5A);

        var resumed = Resume(output);

        var pmake = resumed.Result.Vms[0];
        Assert.Equal(MachineOutcomeKind.Crashed, pmake.Outcome.Kind);
        Assert.True(pmake.FailureReason?.Contains("does not match its checksum: it is corrupt") == true, pmake.FailureReason);
        Assert.Null(pmake.Statistics); // its vCPU never ran: nothing of the checkpoint was applied
        AssertResumedCleanly(reference, resumed, vm: 1);
    }

    [Fact]
    public void A_checkpoint_of_another_format_version_is_refused_naming_both_versions()
    {
        var (output, reference) = CrashedAfterLastCheckpoint();
        // The frame's version (bytes 5-6, little-endian) of pmake's last checkpoint becomes 99.
        Rewrite(output, PmakeLast, row => row[4] = 99);

        var resumed = Resume(output);

        var pmake = resumed.Result.Vms[0];
        Assert.Equal(MachineOutcomeKind.Crashed, pmake.Outcome.Kind);
        Assert.True(pmake.FailureReason?.Contains("is of format version 99; this build reads version 1 only") == true, pmake.FailureReason);
        Assert.Null(pmake.Statistics);
        AssertResumedCleanly(reference, resumed, vm: 1);
    }

    [Fact]
    public void An_unreachable_database_stops_the_vms_with_a_message_and_the_run_ends()
    {
        var settings = Settings(guests.ScratchDirectory(), """checkpoint { every = 4000000, store = postgresql, connection = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=3" }""");

        var run = MonitorRun.Execute(settings, SilentConsole.Instance, TimeSpan.FromMinutes(3));

        Assert.All(run.Result.Vms, vm =>
        {
            Assert.Equal(MachineOutcomeKind.Crashed, vm.Outcome.Kind);
            Assert.True(vm.FailureReason?.StartsWith("the checkpoint store (PostgreSQL, Host=127.0.0.1;Port=1;", StringComparison.Ordinal) == true, vm.FailureReason);
        });
    }

    [Fact]
    public void A_journal_that_fails_mid_run_stops_that_vm_with_the_reason_and_the_other_finishes()
    {
        var reference = guests.Run(Vms);
        // pmake's third checkpoint cannot be written (a full disk); raytrace's all can.
        FailingJournal.FailsFor = (persistenceId, sequenceNr) => persistenceId.EndsWith("/pmake", StringComparison.Ordinal) && sequenceNr >= 3;
        var akka = Akka.Configuration.ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal.plugin = "akka.persistence.journal.failing"
              journal.failing { class = "{{typeof(FailingJournal).AssemblyQualifiedName}}", plugin-dispatcher = "akka.actor.default-dispatcher" }
              snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            }
            """);

        var run = MonitorRun.Execute(Settings(guests.ScratchDirectory()), SilentConsole.Instance, TimeSpan.FromMinutes(3), akkaOverrides: akka);

        var pmake = run.Result.Vms[0];
        Assert.Equal(MachineOutcomeKind.Crashed, pmake.Outcome.Kind);
        Assert.True(pmake.Outcome.Diagnostic?.Contains("failed to write for bad-store/vm1/pmake: the disk is full (injected)") == true, pmake.Outcome.Diagnostic);
        Assert.True(pmake.Statistics!.GuestInstructions < reference.Result.Vms[0].Statistics!.GuestInstructions, "pmake ran on after its store failed");
        Assert.Equal(MachineOutcomeKind.PoweredOff, run.Result.Vms[1].Outcome.Kind);
        Assert.Equal(reference.Result.Vms[1].Console, run.Result.Vms[1].Console);
    }

    /// <summary>pmake's last checkpoint event.</summary>
    private const string PmakeLast = "persistence_id like '%/pmake' and sequence_number = (select max(sequence_number) from journal where persistence_id like '%/pmake')";

    /// <summary>A run that stored checkpoints and whose VMs' ends are then forgotten, as if its process had died after the last checkpoint.</summary>
    private (string Output, MonitorRun Reference) CrashedAfterLastCheckpoint()
    {
        string output = guests.ScratchDirectory();
        var reference = MonitorRun.Execute(Settings(output), SilentConsole.Instance, TimeSpan.FromMinutes(3));
        Assert.True(reference.Result.AllPoweredOffCleanly);
        // Pages are shared across VMs: a row raytrace's checkpoints refer to would stop it too.
        // raytrace ended long before pmake, so pmake's last checkpoint was stored after raytrace's
        // last one (the journal's ordering) and cannot hold a page raytrace refers to.
        Assert.True(Scalar(output, $"select ordering from journal where {PmakeLast}") > Scalar(output, "select max(ordering) from journal where persistence_id like '%/raytrace' and manifest = '#C'"),
            "pmake's last checkpoint was stored before raytrace's last one");
        Execute(output, "delete from journal where manifest = '#E'");
        Execute(output, "delete from snapshot");
        foreach (var vm in reference.Result.Vms)
        {
            // The console file keeps what was shown up to some point before the "crash".
            string file = Path.Combine(output, ConsoleSink.FileName(vm.Id, vm.Name));
            File.WriteAllText(file, vm.Console[..(vm.Console.Length / 2)], System.Text.Encoding.Latin1);
        }

        return (output, reference);
    }

    private static void AssertResumedCleanly(MonitorRun reference, MonitorRun resumed, int vm)
    {
        var expected = reference.Result.Vms[vm];
        var actual = resumed.Result.Vms[vm];
        Assert.Equal(MachineOutcomeKind.PoweredOff, actual.Outcome.Kind);
        Assert.Equal(expected.Console, actual.Console);
        Assert.Equal(expected.Statistics!.GuestInstructions, actual.Statistics!.GuestInstructions);
        Assert.True(resumed.Result.Epochs < reference.Result.Epochs, "the sound VM was not resumed from a checkpoint");
    }

    private MonitorRun Resume(string output)
    {
        var settings = Settings(output);
        return MonitorRun.Execute(settings with { Checkpoint = settings.Checkpoint with { Resume = true } }, SilentConsole.Instance, TimeSpan.FromMinutes(3));
    }

    private MonitorSettings Settings(string output, string checkpoint = "checkpoint.every = 4000000")
    {
        string hocon = $$"""
            actorvmm {
              machine.physical-cpus = 2
              vm-defaults.kernel = "{{guests.KernelFile}}"
              trace.enabled = off
              output.directory = "{{output}}"
              {{checkpoint}}
              vms = [ {{Vms}} ]
            }
            """;
        return ScenarioLoader.Load(hocon, "bad-store");
    }

    /// <summary>Changes the bytes of one journal row.</summary>
    private static void Rewrite(string output, string where, Action<byte[]> change)
    {
        using var connection = Open(output);
        using var read = connection.CreateCommand();
        read.CommandText = $"select ordering, message from journal where {where}";
        long ordering;
        byte[] message;
        using (var reader = read.ExecuteReader())
        {
            Assert.True(reader.Read(), $"no journal row where {where}");
            ordering = reader.GetInt64(0);
            message = (byte[])reader.GetValue(1);
        }

        change(message);
        using var write = connection.CreateCommand();
        write.CommandText = "update journal set message = $m where ordering = $o";
        write.Parameters.AddWithValue("$m", message);
        write.Parameters.AddWithValue("$o", ordering);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    private static SqliteConnection Open(string output)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(output, CheckpointStore.DefaultSqliteFile)};Pooling=false");
        connection.Open();
        return connection;
    }

    private static long Scalar(string output, string sql)
    {
        using var connection = Open(output);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(string output, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(output, CheckpointStore.DefaultSqliteFile)};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(command.ExecuteNonQuery() > 0, $"nothing changed: {sql}");
    }
}

/// <summary>An in-memory journal whose writes fail for the persistence ids and sequence numbers a test names.</summary>
public sealed class FailingJournal : Akka.Persistence.Journal.MemoryJournal
{
    public static Func<string, long, bool> FailsFor { get; set; } = (_, _) => false;

    protected override Task<System.Collections.Immutable.IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<Akka.Persistence.AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages.ToList();
        if (writes.Any(w => FailsFor(w.PersistenceId, w.HighestSequenceNr)))
        {
            throw new IOException("the disk is full (injected)");
        }

        return base.WriteMessagesAsync(writes, cancellationToken);
    }
}
