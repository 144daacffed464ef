using System.Text;
using ActorVmm.Actors.Configuration;
using ActorVmm.Monitor;
using ActorVmm.Actors.Tests.Support;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using Akka.Actor;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;
using static ActorVmm.Actors.GuestVmProtocol;
using static ActorVmm.Actors.MemoryManagerProtocol;
using static ActorVmm.Actors.MonitorRootProtocol;

namespace ActorVmm.Actors.Tests;

/// <summary>
/// The GuestVm actor's lifecycle with probes as memory manager and monitor: loading the
/// kernel (and saying clearly when it cannot), registering its memory, booting its vCPU,
/// collecting its console, and reporting how it ended.
/// </summary>
public sealed class GuestVmSpec : NodeSpec
{
    private const int VmId = 5;
    private const string VmName = "alpha";
    private const uint VmBytes = 4u << 20;

    private readonly TestProbe _memory;
    private readonly TestProbe _monitor;
    private readonly CapturingConsole _console;
    private readonly IActorRef _sink;
    private readonly List<string> _tempFiles = new();

    public GuestVmSpec(ITestOutputHelper output)
        : this(output, new CapturingConsole())
    {
    }

    private GuestVmSpec(ITestOutputHelper output, CapturingConsole console)
        : base(8u << 20, output)
    {
        _console = console;
        _sink = Sys.ActorOf(Props.Create(() => new ConsoleSink(console, false)), "console");
        _memory = CreateTestProbe("memory");
        _monitor = CreateTestProbe("monitor");
    }

    [Fact]
    public void A_kernel_file_that_does_not_exist_fails_the_vm_naming_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"no-such-dir-{Guid.NewGuid():N}", "kernel.elf");

        StartVm(path);

        var failed = _monitor.ExpectMsg<VmFailed>();
        Assert.Equal((VmId, VmName), (failed.Vm, failed.Name));
        Assert.Contains(path, failed.Reason);
        _memory.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_kernel_file_that_is_not_an_elf_fails_the_vm_naming_the_file()
    {
        string path = TempFile("#!/bin/sh\necho this is not a kernel\n"u8.ToArray());

        StartVm(path);

        var failed = _monitor.ExpectMsg<VmFailed>(f => f.Vm == VmId);
        Assert.Contains(path, failed.Reason);
        Assert.Contains(Path.GetFileName(path), failed.Reason);
        _memory.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void An_elf_that_breaks_the_boot_contract_fails_the_vm_saying_why()
    {
        // A static user program: linked at 0x00400000, not in ksseg.
        StartVm(Repo.UserProgramPath);

        var failed = _monitor.ExpectMsg<VmFailed>(f => f.Vm == VmId);
        Assert.Contains(Repo.UserProgramPath, failed.Reason);
        Assert.Contains("ksseg", failed.Reason);
        _memory.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_valid_kernel_is_registered_with_the_memory_manager_with_its_boot_plan()
    {
        StartVm(Repo.KernelPath, commandLine: "run=compute verbose");

        var register = _memory.ExpectMsg<RegisterVm>();
        Assert.Equal((VmId, VmBytes), (register.Vm, register.MemoryBytes));
        var elf = ElfImage.Parse(File.ReadAllBytes(Repo.KernelPath), "kernel.elf");
        var expected = KernelBootLoader.Plan(elf, new BootConfiguration(VmBytes, "run=compute verbose", 1, 64));
        Assert.Equal((expected.Entry, expected.MemorySize, expected.BootInfoVirtualAddress, expected.FreeStart),
            (register.Image.Entry, register.Image.MemorySize, register.Image.BootInfoVirtualAddress, register.Image.FreeStart));
        Assert.Equal(expected.WiredEntries, register.Image.WiredEntries);
        var bootInfo = register.Image.Writes[^1];
        Assert.EndsWith("run=compute verbose\0", Encoding.ASCII.GetString(bootInfo.Bytes.Span));

        _monitor.ExpectNoMsg(Quiet); // not ready before its memory is
    }

    [Fact]
    public void Once_registered_the_vm_reports_ready_with_one_running_vcpu()
    {
        var vm = StartVm(Repo.KernelPath);
        _memory.ExpectMsg<RegisterVm>();

        vm.Tell(new VmRegistered(VmId, 90), _memory.Ref);

        var ready = _monitor.ExpectMsg<VmReady>();
        Assert.Equal((VmId, VmName), (ready.Vm, ready.Name));
        var vcpu = Assert.Single(ready.Vcpus);
        Assert.Equal(new VcpuKey(VmId, 0), vcpu.Key);

        // The handle is a live vCPU of this VM, booted and not yet run.
        vcpu.Ref.Tell(new VirtualCpuProtocol.GetStatistics());
        var stats = ExpectMsg<VcpuStatistics>();
        Assert.Equal((new VcpuKey(VmId, 0), 0L, 0L), (stats.Vcpu, stats.GuestInstructions, stats.ConsumedCycles));
    }

    [Fact]
    public void A_refused_registration_fails_the_vm_with_the_memory_managers_reason()
    {
        var vm = StartVm(Repo.KernelPath);
        _memory.ExpectMsg<RegisterVm>();

        vm.Tell(new VmRefused(VmId, "VM 5: cannot place the kernel at physical 0x00002000: MachineMemoryExhausted"), _memory.Ref);

        var failed = _monitor.ExpectMsg<VmFailed>();
        Assert.Equal(new VmFailed(VmId, VmName, "VM 5: cannot place the kernel at physical 0x00002000: MachineMemoryExhausted"), failed);
        _monitor.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void Console_output_then_power_off_finishes_the_vm_with_exactly_that_text_and_status()
    {
        var vm = StartedVm();

        vm.Tell(new ConsoleOutput(VmId, 0, [.. "hello\nwor"u8]));
        vm.Tell(new ConsoleOutput(VmId, 9, [.. "ld\n[kernel] power off"u8]));
        vm.Tell(new PoweredOff(VmId, 3));

        var finished = _monitor.ExpectMsg<VmFinished>();
        Assert.Equal((VmId, VmName), (finished.Vm, finished.Name));
        Assert.Equal("hello\nworld\n[kernel] power off", ConsoleOf(VmId));
        Assert.Equal(MachineOutcome.PowerOff(3), finished.Outcome);

        // The sink showed whole lines, the unterminated last one at the end.
        Assert.Equal([(VmName, "hello"), (VmName, "world"), (VmName, "[kernel] power off")], _console.Lines);
    }

    [Fact]
    public void A_crash_finishes_the_vm_with_the_diagnostic_and_only_once()
    {
        var vm = StartedVm();

        vm.Tell(new ConsoleOutput(VmId, 0, [.. "booting\n"u8]));
        vm.Tell(new Crashed(VmId, MachineOutcomeKind.Hung, "WAIT at pc 0xC0001234 with the timer interrupt masked"));
        vm.Tell(new PoweredOff(VmId, 0));

        var finished = _monitor.ExpectMsg<VmFinished>();
        Assert.Equal(new MachineOutcome(MachineOutcomeKind.Hung, -1, "WAIT at pc 0xC0001234 with the timer interrupt masked"), finished.Outcome);
        Assert.Equal("booting\n", ConsoleOf(VmId));
        _monitor.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task A_simulator_error_in_the_router_stops_the_whole_vm_so_nothing_waits_on_it_forever()
    {
        var vm = StartVm(Repo.KernelPath);
        _memory.ExpectMsg<RegisterVm>();
        vm.Tell(new VmRegistered(VmId, 90), _memory.Ref);
        var vcpu = Assert.Single(_monitor.ExpectMsg<VmReady>().Vcpus).Ref;
        Watch(vcpu);

        // A device-access trap without its access cannot come from a real vCPU: the router
        // throws, as it would on a bug of ours.
        var router = await Sys.ActorSelection(vm.Path / "router").ResolveOne(TimeSpan.FromSeconds(3));
        var broken = new TrapRequest(TrapKind.DeviceAccess, new Cpu.GuestException(Cpu.ExcCode.TlbS, 0xC0001000, false, 0xDF000000, 0), default, 0, [], null);
        router.Tell(new TrapRouterProtocol.Trap(new VcpuKey(VmId, 0), 0, broken));

        ExpectTerminated(vcpu); // so the physical CPU that dispatched it is not left waiting
        var finished = _monitor.ExpectMsg<VmFinished>();
        Assert.Equal(MachineOutcomeKind.Crashed, finished.Outcome.Kind);
        Assert.Contains("simulator error", finished.Outcome.Diagnostic);
        Assert.Contains(nameof(NullReferenceException), finished.Outcome.Diagnostic);
    }

    [Fact]
    public void Console_bytes_are_kept_exactly_once_by_offset_and_bytes_above_0x7F_pass_unchanged()
    {
        var vm = StartedVm();

        vm.Tell(new ConsoleOutput(VmId, 0, [0x61, 0xE9, 0x0A]));       // "a", é in Latin-1, newline
        vm.Tell(new ConsoleOutput(VmId, 0, [0x61, 0xE9, 0x0A]));       // the same chunk again: a repeat
        vm.Tell(new ConsoleOutput(VmId, 2, [0x0A, 0xFF, 0x0A]));       // overlaps by one byte
        vm.Tell(new PoweredOff(VmId, 0));

        var finished = _monitor.ExpectMsg<VmFinished>();
        Assert.Equal("a\u00e9\n\u00ff\n", ConsoleOf(VmId));
        Assert.Equal([(VmName, "a\u00e9"), (VmName, "\u00ff")], _console.Lines);
    }

    /// <summary>A VM registered and booted, its VmReady consumed.</summary>
    private IActorRef StartedVm()
    {
        var vm = StartVm(Repo.KernelPath);
        _memory.ExpectMsg<RegisterVm>();
        vm.Tell(new VmRegistered(VmId, 90), _memory.Ref);
        _monitor.ExpectMsg<VmReady>();
        return vm;
    }

    private string ConsoleOf(int vm) =>
        _sink.Ask<ConsoleSinkProtocol.Consoles>(new ConsoleSinkProtocol.GetConsoles([vm]), TimeSpan.FromSeconds(3)).Result.ByVm[vm];

    private IActorRef StartVm(string kernelPath, string commandLine = "")
    {
        var settings = new VmSettings(VmId, VmName, kernelPath, VmBytes, commandLine, 0);
        Node.MemoryManager = _memory.Ref;
        var vm = Sys.ActorOf(Props.Create(() => new GuestVm()), "vm");
        vm.Tell(new StartVm(settings, CostModel.Default, 64, _monitor.Ref, _sink));
        return vm;
    }

    private string TempFile(byte[] content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"actorvmm-guestvm-{Guid.NewGuid():N}.elf");
        File.WriteAllBytes(path, content);
        _tempFiles.Add(path);
        return path;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        foreach (string path in _tempFiles)
        {
            File.Delete(path);
        }
    }
}
