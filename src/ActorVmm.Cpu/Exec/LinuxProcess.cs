using System.Buffers.Binary;
using System.Text;
using ActorVmm.Cpu.Elf;
using ActorVmm.Memory;

namespace ActorVmm.Cpu.Exec;

/// <summary>
/// A static Linux-o32 program on the bare CPU, as qemu-user runs one: the ELF in a flat
/// user address space, the Linux initial stack, and a shim for the few system calls a
/// freestanding program makes. Everything else gets -ENOSYS.
/// </summary>
public sealed class LinuxProcess : IDisposable
{
    public const uint StackTop = 0x7FFF0000;
    public const uint StackSize = 8u << 20;
    public const uint HeapLimit = 0x60000000;
    /// <summary>The user address space (kuseg), and so the most a program's file can need.</summary>
    public const ulong AddressSpaceSize = 0x80000000;
    private const long Quantum = 1 << 22;
    private const int Pid = 1; // fixed, so that runs are reproducible

    private readonly MemoryBlock _memory;
    private readonly Mips32Core _core;
    private readonly Stream _stdout;
    private readonly Stream _stderr;
    private readonly Stream _stdin;
    private readonly TextWriter? _log;
    private readonly ElfImage _image;
    private uint _brkStart;
    private uint _brk;
    private uint _threadPointer; // set_thread_area's, read by rdhwr $29

    public LinuxProcess(ElfImage image, IReadOnlyList<string> argv, Stream stdout, Stream stderr, Stream? stdin = null, TextWriter? verboseLog = null)
    {
        _image = image;
        _stdout = stdout;
        _stderr = stderr;
        _stdin = stdin ?? Stream.Null;
        _log = verboseLog;
        _memory = new MemoryBlock(AddressSpaceSize);
        try
        {
            _core = new Mips32Core(_memory, DeliveryMode.Host, AddressingMode.FlatUser);
            var loaded = ElfLoader.Load(image, _memory, ElfAddressing.Virtual, freshMemory: true);
            foreach (var segment in loaded.Segments)
            {
                _core.MapFlat(segment.Start, segment.End - segment.Start, segment.Permission);
            }

            _brkStart = _brk = (uint)MachinePage.RoundUp(loaded.HighestAddress);
            _core.MapFlat(StackTop - StackSize, StackSize, PagePermission.ReadWrite);
            _core.SetGpr(29, BuildInitialStack(argv));
            _core.Jump(image.Entry);
        }
        catch
        {
            _memory.Dispose();
            throw;
        }
    }

    public Mips32Core Core => _core;

    public long InstructionsRetired => _core.Retired;

    /// <summary>Run to completion, or until <paramref name="instructionLimit"/> instructions have retired.</summary>
    public ProcessExit Run(long instructionLimit = long.MaxValue)
    {
        while (true)
        {
            long left = instructionLimit - _core.Retired;
            if (left <= 0)
            {
                return ProcessExit.Killed(LinuxSignal.SIGXCPU, null, $"instruction limit of {instructionLimit} reached");
            }

            var result = _core.Run(Math.Min(left, Quantum));
            if (result.Kind != ExitKind.Exception)
            {
                continue;
            }

            var e = _core.LastException;
            if (e.Code == ExcCode.RI && IsReadUserLocal(e.Instruction))
            {
                ReadUserLocal(e.Instruction);
                continue;
            }

            if (e.Code != ExcCode.Sys)
            {
                return Fault(e);
            }

            var exit = SystemCall();
            if (exit is not null)
            {
                return exit;
            }
        }
    }

    private ProcessExit? SystemCall()
    {
        uint number = _core.GetGpr(2);
        uint a0 = _core.GetGpr(4);
        uint a1 = _core.GetGpr(5);
        uint a2 = _core.GetGpr(6);
        long result;
        switch (number)
        {
            case LinuxSyscall.Exit:
            case LinuxSyscall.ExitGroup:
                Flush();
                return ProcessExit.Exited((int)(a0 & 0xFF));
            case LinuxSyscall.Write:
                result = Write(a0, a1, a2);
                break;
            case LinuxSyscall.Read:
                result = Read(a0, a1, a2);
                break;
            case LinuxSyscall.Brk:
                result = Brk(a0);
                break;
            case LinuxSyscall.GetPid:
                result = Pid;
                break;
            case LinuxSyscall.SetThreadArea:
                _threadPointer = a0; // Linux stores any value; only the program gives it meaning
                result = 0;
                break;
            case LinuxSyscall.Kill:
            {
                // Only signals to ourselves exist here (abort() raises SIGABRT this way);
                // with no handlers installed, a fatal signal ends the process.
                if (a0 != Pid && a0 != 0)
                {
                    result = -LinuxSyscall.ESRCH;
                    break;
                }

                if (a1 == 0)
                {
                    result = 0;
                    break;
                }

                var signal = GuestFaultSignal.FromMips(a1);
                if (signal is null)
                {
                    result = -LinuxSyscall.EINVAL;
                    break;
                }

                Flush();
                return ProcessExit.Killed(signal.Value, null, $"actorvmm exec: {_image.Name ?? "program"} killed by {signal} (sent by kill)\n");
            }
            default:
                _log?.WriteLine($"actorvmm exec: unsupported system call {LinuxSyscall.Name(number)} ({number}) at pc 0x{_core.Pc:X8}: -ENOSYS");
                result = -LinuxSyscall.ENOSYS;
                break;
        }

        // o32: v0 holds the result or the positive errno, a3 says which.
        _core.SetGpr(2, result < 0 ? (uint)-result : (uint)result);
        _core.SetGpr(7, result < 0 ? 1u : 0u);
        _core.CompleteInstruction();
        return null;
    }

    /// <summary>
    /// <c>rdhwr rt, $29</c>: UserLocal, which the 24Kc lacks. Linux emulates it on the Reserved
    /// Instruction exception, returning the thread pointer set by set_thread_area, and glibc
    /// reads its thread-local storage that way. Linux matches opcode, function and rd only.
    /// </summary>
    private static bool IsReadUserLocal(uint instruction) => (instruction & 0xFC00F83F) == 0x7C00E83B;

    private void ReadUserLocal(uint instruction)
    {
        _core.SetGpr((int)((instruction >> 16) & 0x1F), _threadPointer);
        _core.CompleteInstruction(); // honours a pending branch, as Linux's emulation does
    }

    private long Write(uint fd, uint buffer, uint count)
    {
        Stream? target = fd switch { 1 => _stdout, 2 => _stderr, _ => null };
        if (target is null)
        {
            return -LinuxSyscall.EBADF;
        }

        if (!TryUserRange(buffer, count, PagePermission.Read, out var bytes))
        {
            return -LinuxSyscall.EFAULT;
        }

        target.Write(bytes);
        if (fd == 2)
        {
            // stderr is unbuffered for the guest; keep its order relative to stdout.
            _stdout.Flush();
            target.Flush();
        }

        return count;
    }

    private long Read(uint fd, uint buffer, uint count)
    {
        if (fd != 0)
        {
            return -LinuxSyscall.EBADF;
        }

        if (!TryUserRange(buffer, count, PagePermission.Write, out var bytes))
        {
            return -LinuxSyscall.EFAULT;
        }

        _stdout.Flush();
        return _stdin.Read(bytes);
    }

    private long Brk(uint requested)
    {
        if (requested > _brk && requested <= HeapLimit && requested >= _brkStart)
        {
            uint mappedEnd = (uint)MachinePage.RoundUp(_brk);
            uint newEnd = (uint)MachinePage.RoundUp(requested);
            if (newEnd > mappedEnd)
            {
                _core.MapFlat(mappedEnd, newEnd - mappedEnd, PagePermission.ReadWrite);
            }

            _brk = requested;
        }
        else if (requested >= _brkStart && requested <= _brk)
        {
            _brk = requested; // shrinking keeps the pages mapped, as a lazy kernel may
        }

        return _brk; // Linux returns the current break when it refuses
    }

    private unsafe bool TryUserRange(uint address, uint length, PagePermission needed, out Span<byte> bytes)
    {
        bytes = default;
        ulong end = (ulong)address + length;
        if (end > AddressSpaceSize)
        {
            return false;
        }

        for (ulong page = address & ~(ulong)MachinePage.OffsetMask; page < end; page += MachinePage.Size)
        {
            if ((_core.FlatPermission((uint)page) & needed) != needed)
            {
                return false;
            }
        }

        bytes = new Span<byte>(_memory.Base + address, (int)length);
        return true;
    }

    /// <summary>The Linux initial process stack: argc, argv, envp, auxv, then the strings.</summary>
    private uint BuildInitialStack(IReadOnlyList<string> argv)
    {
        uint sp = StackTop;
        var pointers = new uint[argv.Count];
        for (int i = argv.Count - 1; i >= 0; i--)
        {
            byte[] s = Encoding.UTF8.GetBytes(argv[i] + "\0");
            sp -= (uint)s.Length;
            _memory.Write(sp, s);
            pointers[i] = sp;
        }

        // argc, argv[], NULL, envp NULL, auxv {AT_PAGESZ, 4096}, {AT_NULL, 0}
        int words = 1 + argv.Count + 1 + 1 + 4;
        sp = (sp - (uint)(words * 4)) & ~7u;
        uint p = sp;
        void Push(uint value)
        {
            _memory.WriteUInt32(p, value);
            p += 4;
        }

        Push((uint)argv.Count);
        foreach (uint pointer in pointers)
        {
            Push(pointer);
        }

        Push(0);
        Push(0);
        Push(6);
        Push(MachinePage.Size);
        Push(0);
        Push(0);
        return sp;
    }

    private ProcessExit Fault(GuestException e)
    {
        Flush();
        var signal = GuestFaultSignal.For(e);
        var report = new StringBuilder();
        report.Append("actorvmm exec: ").Append(_image.Name ?? "program").Append(" killed by ").Append(signal)
            .Append(": ").Append(e.ToString());
        string? symbol = _image.SymbolAt(e.Pc);
        if (symbol is not null)
        {
            report.Append(" in ").Append(symbol);
        }

        report.AppendLine();
        report.Append(RegisterDump.Format(_core));
        return ProcessExit.Killed(signal, e, report.ToString());
    }

    private void Flush()
    {
        _stdout.Flush();
        _stderr.Flush();
    }

    public void Dispose() => _memory.Dispose();
}
