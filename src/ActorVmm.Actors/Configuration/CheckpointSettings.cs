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
public sealed record CheckpointSettings(long Every, CheckpointStoreKind Store, string Connection, bool Resume)
{
    public bool Enabled => Every > 0;
}
