using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ActorVmm.Host.Cluster;

/// <summary>
/// The monitor's own log (membership, placement, migration, downing) through Serilog, Akka's
/// log included: human-readable on stderr, and as JSON lines in a file when asked. Consoles
/// and reports stay on stdout.
/// </summary>
public static class HostLogging
{
    public static readonly string[] Levels = ["verbose", "debug", "info", "warning", "error"];

    /// <summary>Set Serilog up and return the Akka settings that route Akka's log into it.</summary>
    public static string Configure(string level, string? jsonFile)
    {
        var minimum = level switch
        {
            "verbose" => LogEventLevel.Verbose,
            "debug" => LogEventLevel.Debug,
            "info" => LogEventLevel.Information,
            "error" => LogEventLevel.Error,
            _ => LogEventLevel.Warning,
        };
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj}{NewLine}{Exception}", standardErrorFromLevel: LogEventLevel.Verbose);
        if (jsonFile is not null)
        {
            config = config.WriteTo.File(new CompactJsonFormatter(), jsonFile);
        }

        Log.Logger = config.CreateLogger();
        string akkaLevel = minimum switch
        {
            LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
            LogEventLevel.Information => "INFO",
            LogEventLevel.Error => "ERROR",
            _ => "WARNING",
        };
        return $$"""
            akka.loggers = ["Akka.Logger.Serilog.SerilogLogger, Akka.Logger.Serilog"]
            akka.logger-formatter = "Akka.Logger.Serilog.SerilogLogMessageFormatter, Akka.Logger.Serilog"
            akka.loglevel = {{akkaLevel}}
            akka.stdout-loglevel = OFF
            """;
    }
}
