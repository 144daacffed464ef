using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.EndToEnd.Tests.Monitor;
using Npgsql;

namespace ActorVmm.EndToEnd.Tests.Checkpoint;

/// <summary>
/// Checkpoints in PostgreSQL (the store a cluster shares), on a private server the test
/// starts and stops: a run whose process "died" after its last checkpoint resumes every VM
/// from it to its uninterrupted console, and a fresh run of the same scenario forgets the
/// earlier history in the shared database first.
/// </summary>
public sealed class PostgreSqlCheckpointTests(MonitorGuestsFixture guests) : IClassFixture<MonitorGuestsFixture>
{
    private const string Vms = """
        { name = pmake, cmdline = "run=pmake" }
        { name = raytrace, cmdline = "run=raytrace" }
        """;

    [Fact]
    public void A_run_resumes_from_its_checkpoints_in_postgresql_and_a_fresh_run_forgets_them()
    {
        using var postgres = new PrivatePostgres();
        var settings = Settings(postgres.ConnectionString);
        var reference = MonitorRun.Execute(settings, SilentConsole.Instance, TimeSpan.FromMinutes(3));
        Assert.True(reference.Result.AllPoweredOffCleanly);
        Assert.True(Count(postgres, "select count(*) from journal where manifest = '#C'") >= 10);

        // The process "dies" after the last checkpoint: the VMs' ends were never stored.
        Execute(postgres, "delete from journal where manifest = '#E'");
        Execute(postgres, "delete from snapshot");
        var resumed = MonitorRun.Execute(settings with { Checkpoint = settings.Checkpoint with { Resume = true } }, SilentConsole.Instance, TimeSpan.FromMinutes(3));
        Assert.True(resumed.Result.Epochs < reference.Result.Epochs, "the VMs did not resume from their checkpoints");
        for (int vm = 0; vm < 2; vm++)
        {
            Assert.Equal(MachineOutcomeKind.PoweredOff, resumed.Result.Vms[vm].Outcome.Kind);
            Assert.Equal(reference.Result.Vms[vm].Console, resumed.Result.Vms[vm].Console);
            Assert.Equal(reference.Result.Vms[vm].Statistics!.GuestInstructions, resumed.Result.Vms[vm].Statistics!.GuestInstructions);
        }

        long before = Count(postgres, "select count(*) from journal where not deleted");
        var fresh = MonitorRun.Execute(settings, SilentConsole.Instance, TimeSpan.FromMinutes(3));
        Assert.True(fresh.Result.AllPoweredOffCleanly);
        Assert.Equal(reference.Result.Vms.Select(v => v.Console), fresh.Result.Vms.Select(v => v.Console));
        // The earlier history was removed, then this run's written: as many live rows as one run leaves.
        Assert.Equal(before, Count(postgres, "select count(*) from journal where not deleted"));
    }

    private MonitorSettings Settings(string connection) => ScenarioLoader.Load($$"""
        actorvmm {
          machine.physical-cpus = 2
          vm-defaults.kernel = "{{guests.KernelFile}}"
          trace.enabled = off
          output.directory = "{{guests.ScratchDirectory()}}"
          checkpoint { every = 4000000, store = postgresql, connection = "{{connection}}" }
          vms = [ {{Vms}} ]
        }
        """, "postgres-checkpoints");

    private static void Execute(PrivatePostgres postgres, string sql)
    {
        using var connection = new NpgsqlConnection(postgres.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        Assert.True(command.ExecuteNonQuery() > 0, $"nothing changed: {sql}");
    }

    private static long Count(PrivatePostgres postgres, string sql)
    {
        using var connection = new NpgsqlConnection(postgres.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
