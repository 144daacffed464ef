using ActorVmm.Cpu;
using ActorVmm.Cpu.Exec;
using BenchmarkDotNet.Attributes;

namespace ActorVmm.Benchmarks;

/// <summary>
/// The interpreter (<see cref="Mips32Core"/>) on real guests, varying only what its callers
/// choose: the budget of each <see cref="Mips32Core.Run"/> call (the monitor's quantum is
/// such a budget) and the delivery mode (native: the core vectors exceptions itself, as on
/// the bare board; host: it stops at each one, as under exec and the monitor).
/// One operation runs the guest from its entry to its exit.
/// </summary>
[Config(typeof(CoreBenchmarkConfig))]
public class CoreBenchmarks
{
    private BareUserBoard? _board;

    public static IEnumerable<string> Guests => GuestProgram.Available.Select(g => g.Name);

    [ParamsSource(nameof(Guests))]
    public string Guest { get; set; } = "crc32";

    /// <summary>
    /// 16 is what a trap-heavy guest gets between traps (engineering averages 6.4
    /// instructions per trap under the monitor); 1K, 64K and 1M bracket the monitor's quantum.
    /// </summary>
    [Params(16, 1_000, 65_536, 1_048_576)]
    public long Budget { get; set; }

    [Params(DeliveryMode.Native, DeliveryMode.Host)]
    public DeliveryMode Delivery { get; set; }

    [GlobalSetup]
    public void Setup() => _board = new BareUserBoard(GuestProgram.Named(Guest));

    [GlobalCleanup]
    public void Cleanup() => _board?.Dispose();

    [Benchmark(Description = "Mips32Core.Run(budget) loop")]
    public long RunGuest() => _board!.Run(Delivery, Budget, out _);
}

/// <summary>The same guests under <c>exec</c> (LinuxProcess: flat user addressing, host delivery, its own 4 M budget): the reference.</summary>
[Config(typeof(CoreBenchmarkConfig))]
public class ExecBenchmarks
{
    private GuestProgram? _program;
    private Cpu.Elf.ElfImage? _image;

    public static IEnumerable<string> Guests => GuestProgram.Available.Select(g => g.Name);

    [ParamsSource(nameof(Guests))]
    public string Guest { get; set; } = "crc32";

    [GlobalSetup]
    public void Setup()
    {
        _program = GuestProgram.Named(Guest);
        _image = _program.Load();
    }

    [Benchmark(Description = "exec (LinuxProcess.Run)")]
    public long RunGuest()
    {
        using var process = new LinuxProcess(_image!, [Path.GetFileName(_program!.Path), .. _program.Arguments], Stream.Null, Stream.Null);
        process.Run();
        return process.InstructionsRetired;
    }
}
