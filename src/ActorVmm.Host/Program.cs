using System.CommandLine;
using ActorVmm.Host.Commands;

namespace ActorVmm.Host;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("ActorVmm: a Disco-style virtual machine monitor on Akka.NET, running real MIPS32 guests.");
        root.Subcommands.Add(ExecCommand.Create());
        root.Subcommands.Add(FuzzCommand.Create());
        root.Subcommands.Add(BootCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(NodeCommand.Create());
        root.Subcommands.Add(TraceCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(FleetScenarioCommand.Create());
        return root.Parse(args).Invoke();
    }
}
