using System.CommandLine;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;

namespace ActorVmm.Host.Commands;

/// <summary><c>actorvmm boot KERNEL.elf</c>: a kernel on the bare simulated board, no monitor.</summary>
public static class BootCommand
{
    /// <summary>Exit status when the machine stopped without powering off (hang, exception loop, limit).</summary>
    public const int MachineFailure = 125;

    public static Command Create()
    {
        var kernel = new Argument<FileInfo>("kernel") { Description = "A kernel ELF linked for ksseg (see docs/MACHINE.md, boot contract)." };
        var memory = new Option<string>("--mem") { Description = "RAM size, e.g. 16M (1M to 256M).", DefaultValueFactory = _ => "16M" };
        var cmdline = new Option<string>("--cmdline") { Description = "The kernel command line.", DefaultValueFactory = _ => "" };
        var stats = new Option<bool>("--stats") { Description = "Print instructions, exceptions by cause, TLB refills, interrupts, wall time and MIPS to stderr." };
        var limit = new Option<long?>("--max-instructions") { Description = "Stop the machine after this many instructions." };
        var command = new Command("boot", "Boot a kernel natively on the bare simulated machine until it powers off.")
        {
            kernel, memory, cmdline, stats, limit,
        };
        command.SetAction(parse => Run(parse.GetValue(kernel)!, parse.GetValue(memory)!, parse.GetValue(cmdline) ?? "", parse.GetValue(stats), parse.GetValue(limit)));
        return command;
    }

    private static int Run(FileInfo kernelFile, string memoryText, string commandLine, bool stats, long? limit)
    {
        if (!ByteSize.TryParse(memoryText, out ulong memory) || memory > uint.MaxValue)
        {
            Console.Error.WriteLine($"actorvmm boot: --mem '{memoryText}' is not a size (examples: 16M, 65536K)");
            return 2;
        }

        NativeMachine machine;
        using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 14);
        try
        {
            // A kernel larger than RAM cannot fit; an invalid --mem is reported by the machine below.
            ulong fits = Math.Clamp(memory, BootConfiguration.MinimumMemorySize, BootConfiguration.MaximumMemorySize);
            var image = ElfFile.ParseChecked(kernelFile.FullName, fits);
            machine = new NativeMachine(image, new BootConfiguration((uint)memory, commandLine), new StreamConsole(stdout));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"actorvmm boot: cannot read {kernelFile.FullName}: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is ElfFormatException or MachineConfigurationException)
        {
            Console.Error.WriteLine($"actorvmm boot: {e.Message}");
            return 2;
        }

        using (machine)
        {
            var outcome = machine.Run(limit ?? long.MaxValue);
            stdout.Flush();
            if (outcome.Diagnostic is not null)
            {
                Console.Error.WriteLine($"actorvmm boot: {outcome.Diagnostic}");
            }

            if (stats)
            {
                Console.Error.WriteLine(machine.Statistics().Format());
            }

            return outcome.Kind == MachineOutcomeKind.PoweredOff ? outcome.ExitStatus & 0xFF : MachineFailure;
        }
    }
}
