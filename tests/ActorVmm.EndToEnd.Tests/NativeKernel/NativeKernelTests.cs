using System.Text.RegularExpressions;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.EndToEnd.Tests.NativeKernel;

/// <summary>
/// The guest kernel (guests/kernel) booted natively on the bare board, in process. Expected
/// output comes from outside the kernel: qemu-mipsel's recordings (guests/kernel/expected/,
/// and qemu itself when installed) for the Linux-only programs, C# re-computations for the
/// others (<see cref="Oracles"/>).
/// </summary>
public sealed class NativeKernelTests : IClassFixture<KernelImageFixture>
{
    private readonly KernelImageFixture _kernel;
    private readonly ITestOutputHelper _output;

    public NativeKernelTests(KernelImageFixture kernel, ITestOutputHelper output)
    {
        _kernel = kernel;
        _output = output;
        _output.WriteLine(kernel.Source);
    }

    private KernelRun Boot(string commandLine, uint megabytes = 16)
    {
        var run = KernelRun.Boot(_kernel.KernelBytes, commandLine, megabytes);
        _output.WriteLine($"--cmdline \"{commandLine}\" --mem {megabytes}M: {run.Outcome.Kind} {run.Outcome.ExitStatus}, " +
                          $"{run.Stats.Instructions:N0} instructions (user {run.Stats.UserInstructions:N0}), " +
                          $"{run.Stats.SystemCalls:N0} syscalls, {run.Stats.TlbRefills:N0} refills, {run.Stats.Interrupts:N0} interrupts");
        return run;
    }

    // ---- the image ----

    [Fact]
    public void Kernel_image_is_linked_in_ksseg_with_its_vector_page_first()
    {
        var image = _kernel.Image();
        Assert.NotEmpty(image.Segments);
        Assert.All(image.Segments, s => Assert.Equal(0xC0000000u + s.PhysicalAddress, s.VirtualAddress));
        Assert.InRange(image.Entry, 0xC0000000u, 0xDEFFFFFFu);

        uint Symbol(string name) => Assert.Single(image.Symbols, s => s.Name == name).Value;
        Assert.Equal(0xC0001000u, Symbol("vector_page"));
        Assert.Equal(Symbol("vector_page"), Symbol("tlb_refill"));
        Assert.Equal(Symbol("vector_page") + 0x180, Symbol("general_exception"));
        Assert.InRange(Symbol("tlb_refill_end") - Symbol("tlb_refill"), 4u, 32 * 4u);
        Assert.Contains(image.Segments, s => s.VirtualAddress == 0xC0001000u && s.IsExecutable);
    }

    [Fact]
    public void Prebuilt_kernel_matches_a_fresh_build_when_the_toolchain_is_present()
    {
        if (!_kernel.BuiltFromSource)
        {
            _output.WriteLine("NOT COMPARED: no toolchain, the prebuilt image is what every other test boots");
            return;
        }

        Assert.True(File.ReadAllBytes(_kernel.PrebuiltPath).AsSpan().SequenceEqual(_kernel.KernelBytes),
            "guests/bin/kernel.elf differs from a fresh build of guests/kernel: run `make -C guests/kernel prebuilt` and commit it");
        Assert.True(File.ReadAllBytes(_kernel.PrebuiltPvPath).AsSpan().SequenceEqual(_kernel.PvKernelBytes),
            "guests/bin/kernel-pv.elf differs from a fresh build of guests/kernel: run `make -C guests/kernel prebuilt` and commit it");
    }

    // ---- program output, exactly ----

    public static TheoryData<string> LinuxCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in KernelImageFixture.ReadCases(ExpectedDirectoryForData()))
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LinuxCases))]
    public void Linux_program_prints_on_the_kernel_exactly_what_qemu_mipsel_prints(string name)
    {
        var (_, program, args) = _kernel.Cases().Single(c => c.Name == name);
        string expectedStdout = _kernel.Expected(name, "stdout");
        int expectedStatus = int.Parse(_kernel.Expected(name, "status").Trim());

        var live = _kernel.RunQemu(program, args);
        if (live is { } q)
        {
            Assert.Equal(expectedStdout, q.Stdout);
            Assert.Equal(expectedStatus, q.Status);
            _output.WriteLine("qemu-mipsel run now agrees with the recording");
        }
        else
        {
            _output.WriteLine("qemu-mipsel not run (not installed, or no unstripped programs): using the recording");
        }

        var run = Boot("run=" + string.Join(':', args.Prepend(program))).PoweredOff(0);
        Assert.Equal(expectedStdout, run.UserText);
        string report = expectedStatus > 128
            ? $"[kernel] pid 1 ({program}) killed by signal {MipsSignal(expectedStatus - 128)} ({HostSignalName(expectedStatus - 128)})"
            : $"[kernel] pid 1 ({program}) exited with status {expectedStatus}";
        Assert.Contains(run.Lines, l => l.StartsWith(report, StringComparison.Ordinal));
    }

    public static TheoryData<string, int, string> Faults() => new()
    {
        { "text", 11, "TLB modified \\(store to a read-only page\\) at pc 0x004[0-9a-f]{5}, address 0x004[0-9a-f]{5}" },
        { "unaligned", 10, "address error \\(load/fetch\\) at pc 0x004[0-9a-f]{5}, address 0x004[0-9a-f]{4}[26ae]" },
        { "null", 11, "TLB invalid \\(load/fetch\\) at pc 0x004[0-9a-f]{5}( \\(branch delay slot\\))?, address 0x00000000" },
        { "kseg0", 11, "address error \\(store\\) at pc 0x004[0-9a-f]{5}, address 0x80001000" },
        { "break", 5, "breakpoint at pc 0x004[0-9a-f]{5}" },
        { "ri", 4, "reserved instruction at pc 0x004[0-9a-f]{5}" },
        { "cop1", 4, "coprocessor unusable at pc 0x004[0-9a-f]{5}, coprocessor 1" },
        { "overflow", 8, "integer overflow at pc 0x004[0-9a-f]{5}" },
        { "trap", 5, "trap at pc 0x004[0-9a-f]{5}" },
        { "divzero", 5, "trap at pc 0x004[0-9a-f]{5}" },
        { "stack", 11, "TLB invalid \\(store\\) at pc 0x004[0-9a-f]{5}, address 0x00ef[0-9a-f]{4}" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Faulting_user_program_is_killed_with_the_fault_and_pc_named(string mode, int signal, string what)
    {
        var run = Boot($"run=fault:{mode}").PoweredOff(0);
        string name = signal switch { 4 => "SIGILL", 5 => "SIGTRAP", 8 => "SIGFPE", 10 => "SIGBUS", _ => "SIGSEGV" };
        Assert.Matches(new Regex($"^\\[kernel\\] pid 1 \\(fault\\) killed by {name}: {what}$", RegexOptions.Multiline), run.Text);
        Assert.Contains($"[kernel] pid 1 (fault) killed by signal {signal} ({name})", run.Lines);
        Assert.Equal(_kernel.Expected($"fault-{mode}", "stdout"), run.UserText);
        int qemuStatus = int.Parse(_kernel.Expected($"fault-{mode}", "status").Trim());
        Assert.Equal(name, HostSignalName(qemuStatus - 128));
        Assert.Equal(1, run.Counter("killed"));
    }

    [Fact]
    public void A_faulting_process_dies_alone_while_the_others_finish()
    {
        var run = Boot("run=compute:2000:12,fault:unaligned,syscalls:300:5:3,memory:40:16").PoweredOff(0);
        Assert.Equal(_kernel.Expected("compute-small", "stdout"), run.LinesStartingWith("compute:"));
        Assert.Equal(_kernel.Expected("syscalls-small", "stdout"), run.LinesStartingWith("syscalls:"));
        Assert.Equal(_kernel.Expected("memory-small", "stdout"), run.LinesStartingWith("memory:"));
        Assert.Equal(_kernel.Expected("fault-unaligned", "stdout"), run.LinesStartingWith("fault:"));
        Assert.Matches(@"\[kernel\] pid 2 \(fault\) killed by SIGBUS: address error \(load/fetch\) at pc 0x004", run.Text);
        Assert.Contains("[kernel] pid 1 (compute) exited with status 0", run.Lines);
        Assert.Contains("[kernel] pid 2 (fault) killed by signal 10 (SIGBUS)", run.Lines);
        Assert.Contains("[kernel] pid 3 (syscalls) exited with status 0", run.Lines);
        Assert.Contains("[kernel] pid 4 (memory) exited with status 0", run.Lines);
        Assert.Equal("[kernel] power off", run.Lines[^1]);
    }

    [Fact]
    public void Default_demo_runs_every_program_together_and_powers_off_with_status_0()
    {
        var run = Boot("").PoweredOff(0);
        Assert.Contains("[kernel] run: compute syscalls memory preempt fault sleeper", run.Lines);
        Assert.Equal(_kernel.Expected("compute", "stdout"), run.LinesStartingWith("compute:"));
        Assert.Equal(_kernel.Expected("syscalls", "stdout"), run.LinesStartingWith("syscalls:"));
        Assert.Equal(_kernel.Expected("memory", "stdout"), run.LinesStartingWith("memory:"));
        Assert.Equal(_kernel.Expected("fault-text", "stdout"), run.LinesStartingWith("fault:"));
        Assert.Equal(Oracles.Sleeper(3, 20), run.LinesStartingWith("sleeper:"));
        foreach (char w in "ABC")
        {
            Assert.Equal(Oracles.PreemptWorker(w, 4), run.Lines.Where(l => l.StartsWith($"preempt: worker {w} step")).ToList());
            Assert.Contains($"preempt: worker {w} exited with status {w - 'A' + 1}", run.Lines);
        }

        string[] report =
        [
            "[kernel] pid 1 (compute) exited with status 0",
            "[kernel] pid 2 (syscalls) exited with status 0",
            "[kernel] pid 3 (memory) exited with status 0",
            "[kernel] pid 4 (preempt) exited with status 0",
            "[kernel] pid 5 (fault) killed by signal 11 (SIGSEGV)",
            "[kernel] pid 6 (sleeper) exited with status 0",
        ];
        Assert.Equal(report, run.Lines.Where(l => Regex.IsMatch(l, @"^\[kernel\] pid \d+ \(\w+\) (exited|killed by signal)")).ToArray());
        Assert.Equal(9, run.Counter("processes"));
        Assert.InRange(run.Stats.Instructions, 1_000_000, 50_000_000);
    }

    // ---- mechanisms ----

    [Fact]
    public void Preemption_interleaves_workers_that_never_make_a_system_call_between_lines()
    {
        var run = Boot("run=preempt:3:4").PoweredOff(0);
        var steps = run.Lines.Where(l => l.StartsWith("preempt: worker ") && l.Contains(" step ")).ToList();
        foreach (char w in "ABC")
        {
            Assert.Equal(Oracles.PreemptWorker(w, 4), steps.Where(l => l.StartsWith($"preempt: worker {w} ")).ToList());
        }

        // Every worker's step 1 comes before any worker's step 2: the timer took turns.
        int lastFirst = steps.FindLastIndex(l => l.Contains(" step 1 "));
        int firstSecond = steps.FindIndex(l => l.Contains(" step 2 "));
        Assert.True(lastFirst < firstSecond, string.Join('\n', steps));
        Assert.True(run.Counter("timer ticks") > 12, "each step is several ticks long");
        Assert.True(run.Counter("context switches") >= 12);
    }

    [Fact]
    public void Two_runs_are_identical_in_console_instructions_and_exceptions()
    {
        var first = Boot("run=demo,cc:1:1").PoweredOff(0);
        var second = Boot("run=demo,cc:1:1").PoweredOff(0);
        Assert.Equal(first.ConsoleBytes, second.ConsoleBytes);
        Assert.Equal(first.Stats.Instructions, second.Stats.Instructions);
        Assert.Equal(first.Stats.KernelInstructions, second.Stats.KernelInstructions);
        Assert.Equal(first.Stats.UserInstructions, second.Stats.UserInstructions);
        Assert.Equal(first.Stats.TlbRefills, second.Stats.TlbRefills);
        Assert.Equal(first.Stats.IdleCycles, second.Stats.IdleCycles);
        Assert.Equal(first.Stats.WaitInstructions, second.Stats.WaitInstructions);
        Assert.Equal(first.Stats.Exceptions.OrderBy(e => e.Key), second.Stats.Exceptions.OrderBy(e => e.Key));
    }

    [Fact]
    public void System_calls_counted_by_kernel_and_board_equal_the_calls_the_program_makes()
    {
        var run = Boot("run=syscalls:1000:25:7").PoweredOff(0);
        long made = Oracles.SyscallsMade(1000, 25, 7);
        Assert.Equal(made, run.Stats.SystemCalls);
        Assert.Equal(made, run.Counter("syscalls"));
        Assert.Equal(25, run.Lines.Count(l => l.StartsWith("syscalls: write #")));
    }

    [Fact]
    public void Memory_program_takes_a_demand_zero_fault_for_every_page_it_touches()
    {
        const int heapPages = 200, stackKb = 64;
        var run = Boot($"run=memory:{heapPages}:{stackKb}").PoweredOff(0);
        long pages = heapPages + (stackKb / 4);
        Assert.True(run.Counter("demand-zero faults") >= pages, $"{run.Counter("demand-zero faults")} demand-zero faults for {pages} pages");
        Assert.True(run.TlbInvalidExceptions >= pages, $"{run.TlbInvalidExceptions} TLB invalid exceptions");
        Assert.True(run.Stats.TlbRefills >= heapPages / 2, "a refill (a pair of pages) before each pair's first fault");
        Assert.True(run.Counter("peak pages") >= pages);
    }

    [Theory]
    [InlineData(4u)]
    [InlineData(16u)]
    [InlineData(64u)]
    public void Pmake_runs_more_processes_than_there_are_asids_and_every_job_is_right(uint megabytes)
    {
        var run = Boot("run=pmake", megabytes).PoweredOff(0);
        var (jobLines, pmakeLines) = Oracles.Pmake(20, 14);
        Assert.Equal(jobLines.OrderBy(l => l, StringComparer.Ordinal), run.Lines.Where(l => l.StartsWith("cc ")).OrderBy(l => l, StringComparer.Ordinal));
        Assert.Equal(pmakeLines, run.Lines.Where(l => l.StartsWith("pmake:")).ToList());
        Assert.Equal(281, run.Counter("processes"));
        Assert.True(run.Counter("asid generations") >= 2, "281 processes cannot fit in 255 ASIDs");
        Assert.Contains("[kernel] pid 1 (pmake) exited with status 0", run.Lines);
        Assert.True(run.Counter("demand-zero faults") >= 280, "every job touches fresh pages");
        Assert.InRange(run.Stats.Instructions, 20_000_000, 300_000_000);
    }

    [Fact]
    public void Engineering_needs_a_tlb_refill_for_most_accesses_beyond_the_tlb_reach()
    {
        var run = Boot("run=engineering").PoweredOff(0);
        Assert.Equal(_kernel.Expected("engineering", "stdout"), run.UserText);
        // 384 pages against 62 entries x 2 pages: the column walks alone miss on ~every access.
        Assert.True(run.Stats.TlbRefills > 500_000, $"{run.Stats.TlbRefills} refills");
        Assert.InRange(run.Stats.Instructions, 20_000_000, 300_000_000);
    }

    [Fact]
    public void Raytrace_is_compute_bound()
    {
        var run = Boot("run=raytrace").PoweredOff(0);
        Assert.Equal(_kernel.Expected("raytrace", "stdout"), run.UserText);
        Assert.True(run.Stats.UserInstructions > 0.98 * run.Stats.Instructions);
        Assert.InRange(run.Stats.Instructions, 20_000_000, 300_000_000);
    }

    [Fact]
    public void Idle_wait_executes_wait_and_idle_spin_never_does_and_the_guest_cannot_tell()
    {
        var wait = Boot("run=sleeper:3:20 idle=wait").PoweredOff(0);
        var spin = Boot("run=sleeper:3:20 idle=spin").PoweredOff(0);
        Assert.True(wait.Stats.WaitInstructions > 0);
        Assert.True(wait.Stats.IdleCycles > 50 * 50_000, "about 60 ticks asleep");
        Assert.Equal(0, spin.Stats.WaitInstructions);
        Assert.Equal(0, spin.Stats.IdleCycles);
        Assert.True(spin.Stats.KernelInstructions > wait.Stats.KernelInstructions + (50 * 50_000), "spinning is kernel work");
        Assert.Equal(Oracles.Sleeper(3, 20), wait.UserText);
        Assert.Equal(wait.Lines.Where(l => !l.Contains("idle=")), spin.Lines.Where(l => !l.Contains("idle=")));
        Assert.Equal(wait.Stats.UserInstructions, spin.Stats.UserInstructions);
    }

    [Fact]
    public void Tick_length_comes_from_the_command_line()
    {
        var normal = Boot("run=compute").PoweredOff(0);
        var fast = Boot("run=compute tick=10000").PoweredOff(0);
        Assert.Contains("[kernel] tick 50000, idle=wait, text=share", normal.Lines);
        Assert.Contains("[kernel] tick 10000, idle=wait, text=share", fast.Lines);
        Assert.InRange(fast.Counter("timer ticks"), 4 * normal.Counter("timer ticks"), 6 * normal.Counter("timer ticks"));
        Assert.Equal(normal.UserText, fast.UserText);
    }

    [Fact]
    public void Text_is_shared_from_the_image_or_copied_per_process_with_the_same_results()
    {
        var shared = Boot("run=pmake:3:10").PoweredOff(0);
        var copied = Boot("run=pmake:3:10 text=copy").PoweredOff(0);
        Assert.Contains("[kernel] tick 50000, idle=wait, text=copy", copied.Lines);
        var (jobs, pmake) = Oracles.Pmake(3, 10);
        foreach (var run in new[] { shared, copied })
        {
            Assert.Equal(jobs.Order(StringComparer.Ordinal), run.Lines.Where(l => l.StartsWith("cc ")).Order(StringComparer.Ordinal));
            Assert.Equal(pmake, run.Lines.Where(l => l.StartsWith("pmake:")).ToList());
        }

        Assert.Equal(shared.Stats.SystemCalls, copied.Stats.SystemCalls);
        Assert.True(copied.Stats.KernelInstructions > shared.Stats.KernelInstructions + (30 * 5 * 1024),
            "copying five or more text pages per process is kernel work");
        Assert.True(copied.Counter("peak pages") > shared.Counter("peak pages"));
        var fault = Boot("run=fault text=copy").PoweredOff(0);
        Assert.Contains("[kernel] pid 1 (fault) killed by signal 11 (SIGSEGV)", fault.Lines);
    }

    [Fact]
    public void Unknown_options_and_bad_values_are_warnings_not_crashes()
    {
        var run = Boot("frobnicate=yes run=compute:2000:12 tick=soon idle=sometimes text=maybe quiet run=nosuchprogram").PoweredOff(0);
        Assert.Contains("[kernel] warning: text=maybe is neither share nor copy; using text=share", run.Lines);
        Assert.Contains("[kernel] warning: unknown option 'frobnicate=yes' ignored", run.Lines);
        Assert.Contains("[kernel] warning: unknown option 'quiet' ignored", run.Lines);
        Assert.Contains("[kernel] warning: tick=soon is not a number >= 1000; using tick=50000", run.Lines);
        Assert.Contains("[kernel] warning: idle=sometimes is neither wait nor spin; using idle=wait", run.Lines);
        Assert.Contains("[kernel] cannot start 'nosuchprogram': no such program", run.Lines);
        Assert.Equal(_kernel.Expected("compute-small", "stdout"), run.UserText);
    }

    [Fact]
    public void An_exception_in_the_kernel_is_a_panic_and_powers_off_with_255()
    {
        var run = Boot("test=panic").PoweredOff(255);
        Assert.Matches(@"\[kernel\] panic: TLB invalid \(load/fetch\) in the kernel at pc 0xc0[0-9a-f]{6}.*, address 0xd0000000", run.Text);
        Assert.Equal("[kernel] power off (status 255)", run.Lines[^1]);
    }

    // ---- refusals ----

    [Fact]
    public void A_kernel_that_is_not_an_elf_image_is_refused()
    {
        var e = Assert.Throws<ElfFormatException>(() => ElfImage.Parse("#!/bin/sh\necho not a kernel\n"u8.ToArray(), "script.sh"));
        Assert.Contains("script.sh", e.Message);

        var truncated = _kernel.KernelBytes.AsMemory(0, 40);
        Assert.Throws<ElfFormatException>(() => ElfImage.Parse(truncated, "kernel.elf (40 bytes)"));
    }

    [Fact]
    public void A_kernel_that_does_not_fit_in_memory_or_is_not_linked_in_ksseg_is_refused()
    {
        // 2 MB of bss at physical 0x1000 on a 1 MB machine.
        var big = ElfImage.Parse(KsssegElf(memorySize: 2u << 20), "big.elf");
        var e = Assert.Throws<ElfFormatException>(() => new NativeMachine(big, new BootConfiguration(1u << 20), new NullConsole()));
        Assert.Contains("does not fit", e.Message);
        _output.WriteLine(e.Message);

        // The real kernel is fine in 1 MB: its image is a few hundred KB.
        using (new NativeMachine(_kernel.Image(), new BootConfiguration(1u << 20), new NullConsole()))
        {
        }

        // A user program is linked at 0x00400000, not in ksseg.
        string hello = Path.Combine(_kernel.RepoRoot, "guests", "bin", "hello.elf");
        if (File.Exists(hello))
        {
            var user = ElfImage.Parse(File.ReadAllBytes(hello), "hello.elf");
            var k = Assert.Throws<ElfFormatException>(() => new NativeMachine(user, new BootConfiguration(16u << 20), new NullConsole()));
            Assert.Contains("ksseg", k.Message);
        }

        Assert.Throws<MachineConfigurationException>(() => new NativeMachine(_kernel.Image(), new BootConfiguration((16u << 20) + 1), new NullConsole()));
    }

    [Fact]
    public void The_kernel_sizes_its_tlb_from_config1_and_a_smaller_tlb_only_costs_refills()
    {
        var full = Boot("run=memory:64:16,compute:2000:12");
        var small = KernelRun.Boot(_kernel.KernelBytes, "run=memory:64:16,compute:2000:12", tlbSize: 16).PoweredOff(0);
        Assert.EndsWith(", TLB 16 entries (2 wired)", small.Lines[0]);
        Assert.EndsWith(", TLB 64 entries (2 wired)", full.Lines[0]);
        Assert.Equal(full.UserText, small.UserText);
        Assert.True(small.Stats.TlbRefills > full.Stats.TlbRefills);
    }

    [Fact]
    public void The_default_and_short_workloads_run_in_4_MB()
    {
        var small = Boot("", 4).PoweredOff(0);
        var normal = Boot("", 16).PoweredOff(0);
        Assert.Equal(normal.UserText, small.UserText);
        Assert.True(small.Counter("peak pages") < 1024 - 100);
    }

    /// <summary>
    /// qemu-mipsel dies of the host's signal, so its status is 128 + the host number; the
    /// kernel reports MIPS Linux numbers, which differ for SIGBUS (host 7, MIPS 10).
    /// </summary>
    private static string HostSignalName(int hostSignal) => hostSignal switch
    {
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        _ => $"host signal {hostSignal}",
    };

    private static int MipsSignal(int hostSignal) => hostSignal == 7 ? 10 : hostSignal;

    private sealed class NullConsole : IConsoleSink
    {
        public void Write(byte value)
        {
        }
    }

    /// <summary>A minimal ELF32 LE MIPS executable: one PT_LOAD at ksseg 0xC0001000 / PA 0x1000.</summary>
    private static byte[] KsssegElf(uint memorySize)
    {
        var elf = new byte[0x1000 + 16];
        var w = new BinaryWriter(new MemoryStream(elf));
        w.Write([0x7F, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        w.Write((ushort)2);           // ET_EXEC
        w.Write((ushort)8);           // EM_MIPS
        w.Write(1u);                  // version
        w.Write(0xC0001000u);         // entry
        w.Write(52u);                 // phoff
        w.Write(0u);                  // shoff
        w.Write(0x70001000u);         // flags: mips32r2
        w.Write((ushort)52);          // ehsize
        w.Write((ushort)32);          // phentsize
        w.Write((ushort)1);           // phnum
        w.Write((ushort)40);          // shentsize
        w.Write((ushort)0);           // shnum
        w.Write((ushort)0);           // shstrndx
        w.Write(1u);                  // PT_LOAD
        w.Write(0x1000u);             // offset
        w.Write(0xC0001000u);         // vaddr
        w.Write(0x1000u);             // paddr
        w.Write(16u);                 // filesz
        w.Write(memorySize);          // memsz
        w.Write(5u);                  // R X
        w.Write(0x1000u);             // align
        return elf;
    }

    private static string ExpectedDirectoryForData() =>
        Path.Combine(KernelImageFixture.FindRepoRoot(), "guests", "kernel", "expected");
}
