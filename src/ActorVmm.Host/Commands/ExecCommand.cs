using System.CommandLine;
using System.Diagnostics;
using ActorVmm.Cpu.Elf;
using ActorVmm.Cpu.Exec;

namespace ActorVmm.Host.Commands;

/// <summary><c>actorvmm exec PROGRAM.elf [args...]</c>: a static Linux-o32 program on the bare CPU.</summary>
public static class ExecCommand
{
    public static Command Create()
    {
        var program = new Argument<FileInfo>("program") { Description = "A static little-endian MIPS32 Linux-o32 ELF executable." };
        var arguments = new Argument<string[]>("args") { Description = "Arguments passed to the program (after -- if they look like options).", Arity = ArgumentArity.ZeroOrMore };
        var stats = new Option<bool>("--stats") { Description = "Print instructions executed, wall time and MIPS to stderr." };
        var verbose = new Option<bool>("--verbose") { Description = "Name unsupported system calls on stderr." };
        var limit = new Option<long?>("--max-instructions") { Description = "Kill the program (SIGXCPU) after this many instructions." };
        var command = new Command("exec", "Run a static Linux-o32 MIPS program on the bare CPU with a system-call shim, like qemu-mipsel.")
        {
            program, arguments, stats, verbose, limit,
        };
        command.SetAction(parse => Run(
            parse.GetValue(program)!,
            parse.GetValue(arguments) ?? [],
            parse.GetValue(stats),
            parse.GetValue(verbose),
            parse.GetValue(limit)));
        return command;
    }

    private static int Run(FileInfo program, string[] arguments, bool stats, bool verbose, long? limit)
    {
        ElfImage image;
        try
        {
            image = ElfFile.ParseChecked(program.FullName, LinuxProcess.AddressSpaceSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"actorvmm exec: cannot read {program.FullName}: {e.Message}");
            return 126;
        }
        catch (ElfFormatException e)
        {
            Console.Error.WriteLine($"actorvmm exec: {e.Message}");
            return 126;
        }

        // Unbuffered, like qemu-user: each guest write() is a host write() when the guest makes
        // it, so a program killed from outside (timeout, ^C) has already printed what it wrote.
        // The guest's libc buffers its stdio itself.
        using var stdout = Console.OpenStandardOutput();
        using var stderr = Console.OpenStandardError();
        using var stdin = Console.OpenStandardInput();
        var argv = new List<string> { program.Name };
        argv.AddRange(arguments);
        LinuxProcess process;
        try
        {
            process = new LinuxProcess(image, argv, stdout, stderr, stdin, verbose ? Console.Error : null);
        }
        catch (ElfFormatException e)
        {
            Console.Error.WriteLine($"actorvmm exec: {e.Message}");
            return 126;
        }

        using (process)
        {
            var clock = Stopwatch.StartNew();
            var exit = process.Run(limit ?? long.MaxValue);
            clock.Stop();
            stdout.Flush();
            if (exit.Reason is not null)
            {
                Console.Error.Write(exit.Reason);
            }

            if (stats)
            {
                double seconds = clock.Elapsed.TotalSeconds;
                Console.Error.WriteLine(
                    $"actorvmm exec: {process.InstructionsRetired:N0} instructions in {seconds:F3} s = {process.InstructionsRetired / seconds / 1e6:F1} MIPS");
            }

            return exit.Status;
        }
    }
}
