using System.Text.Json;
using ActorVmm.Actors.Configuration;
using Akka.Configuration;
using Akka.Persistence.Sql;

namespace ActorVmm.Actors;

/// <summary>
/// Where checkpoints are stored, as Akka configuration: Akka.Persistence.Sql's journal,
/// snapshot store and read journal on one database (SQLite: a file, by default
/// checkpoints.db in the output directory; PostgreSQL: a server the nodes share). What they
/// store is bound to <see cref="Serialization.CheckpointSerializer"/> in actorvmm-akka.conf.
/// </summary>
public static class CheckpointStore
{
    public const string DefaultSqliteFile = "checkpoints.db";

    /// <summary>The provider name and connection string for Akka.Persistence.Sql (linq2db).</summary>
    public static (string Provider, string Connection) Connection(CheckpointSettings settings, string outputDirectory)
    {
        if (settings.Store == CheckpointStoreKind.PostgreSql)
        {
            return ("PostgreSQL.15", settings.Connection);
        }

        string file = settings.Connection.Length == 0 ? DefaultSqliteFile : settings.Connection;
        return ("SQLite.MS", $"Data Source={Path.GetFullPath(Path.Combine(outputDirectory, file))}");
    }

    /// <summary>The store as a message names it: its kind and where it is (a PostgreSQL connection string without its password).</summary>
    public static string Describe(CheckpointSettings settings, string outputDirectory)
    {
        var (_, connection) = Connection(settings, outputDirectory);
        if (settings.Store == CheckpointStoreKind.Sqlite)
        {
            return $"SQLite, {connection["Data Source=".Length..]}";
        }

        var parts = connection.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.TrimStart().StartsWith("password", StringComparison.OrdinalIgnoreCase));
        return $"PostgreSQL, {string.Join(';', parts)}";
    }

    /// <summary>The store's configuration, to be put in front of the node's (and Akka.Persistence.Sql's defaults behind it).</summary>
    public static Config Config(CheckpointSettings settings, string outputDirectory)
    {
        var (provider, connection) = Connection(settings, outputDirectory);
        string c = JsonSerializer.Serialize(connection);
        string p = JsonSerializer.Serialize(provider);
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                # An unreachable database stops the VMs after this, saying so.
                sql { connection-string = {{c}}, provider-name = {{p}}, recovery-event-timeout = 10s }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql { connection-string = {{c}}, provider-name = {{p}} }
              }
              query.journal.sql { connection-string = {{c}}, provider-name = {{p}} }
            }
            """);
    }

    /// <summary>The node's configuration with the store's in front and Akka.Persistence.Sql's defaults behind (never spliced as text).</summary>
    public static Config Around(Config node, CheckpointSettings settings, string outputDirectory) =>
        Config(settings, outputDirectory).WithFallback(node).WithFallback(SqlPersistence.DefaultConfiguration);
}
