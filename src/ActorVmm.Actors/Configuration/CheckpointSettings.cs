namespace ActorVmm.Actors.Configuration;

/// <summary>Where checkpoints are kept.</summary>
public enum CheckpointStoreKind : byte
{
    /// <summary>An embedded SQLite database file (in the output directory unless the connection names another).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: one store for every node of a cluster.</summary>
    PostgreSql,
}

/// <summary>The checkpoint section of a scenario (hocon/actorvmm-reference.conf, <c>actorvmm.checkpoint</c>).</summary>
/// <param name="Every">Simulated cycles between checkpoints (taken at the next epoch boundary); 0: none.</param>
/// <param name="Connection">SQLite: the database file; PostgreSQL: the connection string.</param>
/// <param name="Resume">Continue the run of the same scenario and output directory from each VM's last checkpoint (<c>run --resume</c>), rather than start afresh.</param>
/// <param name="Restore">
/// <c>checkpoint restore VM[@N]</c>: start the scenario's VMs from checkpoint N (0: the last
/// one), take no checkpoints and keep no console files; -1: not a restore.
/// </param>
public sealed record CheckpointSettings(long Every, CheckpointStoreKind Store, string Connection, bool Resume, int Restore = -1)
{
    public bool Enabled => Every > 0;

    /// <summary>Whether VMs take checkpoints and keep console files (not in a restore).</summary>
    public bool Taking => Enabled && Restore < 0;
}
