using System.CommandLine;
using System.Globalization;
using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using Akka.Actor;

namespace ActorVmm.Host.Commands;

/// <summary>
/// <c>actorvmm checkpoint list SCENARIO</c> (every VM's checkpoints in the scenario's store)
/// and <c>actorvmm checkpoint restore SCENARIO VM[@N]</c> (that VM started from checkpoint N,
/// the last by default, and run to its end; nothing is stored).
/// </summary>
public static class CheckpointCommand
{
    public static Command Create()
    {
        var command = new Command("checkpoint", "The checkpoints a scenario's VMs stored (actorvmm.checkpoint in the scenario).");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Restore());
        return command;
    }

    private static Command List()
    {
        var scenario = new Argument<FileInfo>("scenario") { Description = "The scenario whose checkpoints to list." };
        var output = new Option<string?>("--output") { Description = "The run's output directory (overrides output.directory), where the SQLite store is by default." };
        var command = new Command("list", "Every VM's checkpoints: number, epoch, simulated cycle, guest instructions, bytes stored, pages (new, shared); and how the VM ended.") { scenario, output };
        command.SetAction(parse => ListCheckpoints(parse.GetValue(scenario)!, parse.GetValue(output)));
        return command;
    }

    private static Command Restore()
    {
        var scenario = new Argument<FileInfo>("scenario") { Description = "The scenario the checkpoint was taken in." };
        var vm = new Argument<string>("vm") { Description = "NAME or NAME@N: the VM, and its checkpoint number (the last one by default)." };
        var output = new Option<string?>("--output") { Description = "The run's output directory (overrides output.directory)." };
        var command = new Command("restore", "Start one VM from a checkpoint and run it to its end, its console from there on stdout; nothing is stored.") { scenario, vm, output };
        command.SetAction(parse => RestoreVm(parse.GetValue(scenario)!, parse.GetValue(vm)!, parse.GetValue(output)));
        return command;
    }

    private static MonitorSettings? Load(FileInfo scenario, string? output, string command)
    {
        MonitorSettings settings;
        try
        {
            settings = ScenarioLoader.LoadFile(scenario.FullName, RunCommand.ResolveKernel);
        }
        catch (ScenarioException e)
        {
            Console.Error.WriteLine($"actorvmm checkpoint {command}: {e.Message}");
            return null;
        }

        if (!settings.Checkpoint.Enabled)
        {
            Console.Error.WriteLine($"actorvmm checkpoint {command}: the scenario {settings.ScenarioName} takes no checkpoints (actorvmm.checkpoint.every is 0)");
            return null;
        }

        return output is null ? settings : settings with { Output = settings.Output with { Directory = output } };
    }

    private static int ListCheckpoints(FileInfo scenario, string? output)
    {
        if (Load(scenario, output, "list") is not { } settings)
        {
            return 2;
        }

        string store = CheckpointStore.Describe(settings.Checkpoint, settings.Output.Directory);
        if (settings.Checkpoint.Store == CheckpointStoreKind.Sqlite && !File.Exists(CheckpointStore.Connection(settings.Checkpoint, settings.Output.Directory).Connection["Data Source=".Length..]))
        {
            Console.Error.WriteLine($"actorvmm checkpoint list: there is no checkpoint store at {store}: has the scenario run with this output directory?");
            return 2;
        }

        var system = ActorSystem.Create("checkpoints", CheckpointStore.Around(MonitorRun.AkkaSettings.Config, settings.Checkpoint, settings.Output.Directory));
        try
        {
            Console.Out.WriteLine($"checkpoints of {settings.ScenarioName} in {store}");
            var index = new PageIndex();
            int status = 0;
            foreach (var vm in settings.Vms)
            {
                string id = VmCheckpoints.PersistenceIdOf(settings.ScenarioName, vm.Id, vm.Name);
                var history = system.ActorOf(Props.Create(() => new VmCheckpoints(vm.Id, id, index)));
                CheckpointProtocol.CheckpointList list;
                try
                {
                    list = history.Ask<CheckpointProtocol.CheckpointList>(new CheckpointProtocol.ListCheckpoints(), TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is TaskCanceledException or TimeoutException or AskTimeoutException)
                {
                    Console.Out.WriteLine($"{vm.Name}: its checkpoints cannot be read ({id})");
                    status = 1;
                    continue;
                }

                string ended = list.Ended is { } o
                    ? o.Kind == Cpu.Board.MachineOutcomeKind.PoweredOff ? $", then powered off (status {o.ExitStatus})" : $", then {o.Kind.ToString().ToLowerInvariant()}: {o.Diagnostic}"
                    : "";
                Console.Out.WriteLine($"{vm.Name} (vm{vm.Id}): {list.Checkpoints.Length} checkpoint{(list.Checkpoints.Length == 1 ? "" : "s")}{ended}");
                if (list.Checkpoints.Length > 0)
                {
                    Console.Out.WriteLine("      #   epoch           cycle    instructions       bytes   pages     new  shared");
                }

                foreach (var c in list.Checkpoints)
                {
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {c.Number,5} {c.Epoch,7} {c.Cycle,15:N0} {c.Instructions,15:N0} {c.Bytes,11:N0} {c.Pages,7} {c.NewPages,7} {c.SharedPages,7}"));
                }
            }

            return status;
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    private static int RestoreVm(FileInfo scenario, string vmAndNumber, string? output)
    {
        if (Load(scenario, output, "restore") is not { } settings)
        {
            return 2;
        }

        string name = vmAndNumber;
        int number = 0;
        int at = vmAndNumber.LastIndexOf('@');
        if (at >= 0)
        {
            name = vmAndNumber[..at];
            if (!int.TryParse(vmAndNumber[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1)
            {
                Console.Error.WriteLine($"actorvmm checkpoint restore: {vmAndNumber}: expected NAME or NAME@N with N a checkpoint number (1, 2, ...)");
                return 2;
            }
        }

        var vms = settings.Vms.Where(v => v.Name == name).ToList();
        if (vms.Count == 0)
        {
            Console.Error.WriteLine($"actorvmm checkpoint restore: the scenario has no VM named {name} (it has {string.Join(", ", settings.Vms.Select(v => v.Name))})");
            return 2;
        }

        settings = settings with
        {
            Vms = vms,
            Trace = settings.Trace with { Enabled = false },
            Checkpoint = settings.Checkpoint with { Restore = number },
        };
        var run = MonitorRun.Execute(settings, settings.Output.Console ? new PrefixedConsole(vms.Select(v => v.Name)) : SilentConsole.Instance);
        foreach (var vm in run.Result.Vms)
        {
            Console.Out.WriteLine(vm.FailureReason is { } reason
                ? $"{vm.Name}: {reason}"
                : $"{vm.Name}: {vm.Outcome.Kind.ToString().ToLowerInvariant()}, status {vm.Outcome.ExitStatus}{(vm.Outcome.Diagnostic is { } d ? $": {d}" : "")}; {vm.Statistics?.GuestInstructions:N0} guest instructions in all");
        }

        return run.Result.AllPoweredOffCleanly ? 0 : 1;
    }
}
