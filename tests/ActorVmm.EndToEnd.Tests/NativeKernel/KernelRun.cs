using System.Text;
using System.Text.RegularExpressions;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using Xunit;

namespace ActorVmm.EndToEnd.Tests.NativeKernel;

/// <summary>One boot of the guest kernel on the bare board, in process: console, outcome, statistics.</summary>
public sealed class KernelRun
{
    private sealed class Console : IConsoleSink
    {
        public readonly MemoryStream Bytes = new();

        public void Write(byte value) => Bytes.WriteByte(value);
    }

    private KernelRun(byte[] console, MachineOutcome outcome, MachineStatistics stats)
    {
        ConsoleBytes = console;
        Text = Encoding.ASCII.GetString(console);
        Outcome = outcome;
        Stats = stats;
        Lines = Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public byte[] ConsoleBytes { get; }

    public string Text { get; }

    public IReadOnlyList<string> Lines { get; }

    public MachineOutcome Outcome { get; }

    public MachineStatistics Stats { get; }

    /// <summary>What the user programs wrote: every line that is not the kernel's own.</summary>
    public string UserText => string.Concat(Lines.Where(l => !l.StartsWith("[kernel]", StringComparison.Ordinal)).Select(l => l + "\n"));

    /// <summary>The lines of one program, by the prefix each of its lines starts with.</summary>
    public string LinesStartingWith(string prefix) =>
        string.Concat(Lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l + "\n"));

    /// <summary>A counter from the kernel's summary line ("[kernel] syscalls 12, context switches 3, ...").</summary>
    public long Counter(string name)
    {
        string summary = Lines.LastOrDefault(l => l.StartsWith("[kernel] syscalls ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no summary line in:\n{Text}");
        var m = Regex.Match(summary, $@"(?:\] |, ){Regex.Escape(name)} (\d+)");
        Assert.True(m.Success, $"no '{name}' in the summary line: {summary}");
        return long.Parse(m.Groups[1].Value);
    }

    /// <summary>TLB exceptions that went to the general vector (invalid entries), not the refill vector.</summary>
    public long TlbInvalidExceptions =>
        Stats.Exceptions.GetValueOrDefault(ExcCode.TlbL) + Stats.Exceptions.GetValueOrDefault(ExcCode.TlbS) - Stats.TlbRefills;

    public static KernelRun Boot(byte[] kernel, string commandLine, uint memoryMegabytes = 16, long limit = 2_000_000_000, int tlbSize = 64)
    {
        var console = new Console();
        using var machine = new NativeMachine(ElfImage.Parse(kernel, "kernel.elf"),
            new BootConfiguration(memoryMegabytes << 20, commandLine, TlbSize: tlbSize), console);
        var outcome = machine.Run(limit);
        return new KernelRun(console.Bytes.ToArray(), outcome, machine.Statistics());
    }

    /// <summary>Asserts the kernel powered off with <paramref name="status"/>, showing the console if not.</summary>
    public KernelRun PoweredOff(int status = 0)
    {
        Assert.True(Outcome.Kind == MachineOutcomeKind.PoweredOff && Outcome.ExitStatus == status,
            $"expected power-off with status {status}, got {Outcome.Kind} {Outcome.ExitStatus} {Outcome.Diagnostic}\n--- console ---\n{Text}");
        return this;
    }
}
