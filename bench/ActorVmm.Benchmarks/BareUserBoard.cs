using System.Text;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Elf;
using ActorVmm.Cpu.Exec;
using ActorVmm.Memory;

namespace ActorVmm.Benchmarks;

/// <summary>
/// A Linux user program on a bare <see cref="Mips32Core"/> in either delivery mode, driven
/// with a chosen budget per <see cref="Mips32Core.Run"/> call: what the monitor's quantum
/// and the choice of delivery cost the interpreter, with nothing else in the way.
/// <para>
/// The program runs in kernel mode with Status.ERL set, so kuseg is unmapped (virtual =
/// physical, no TLB) and the program's own addresses work without a kernel. A system call
/// under host delivery stops the core (as under <c>exec</c> and the monitor); under native
/// delivery the core vectors it to EBase + 0x180, where a WAIT stops the run, and the
/// driver plays the kernel: it performs the call, clears EXL and resumes after the SYSCALL.
/// </para>
/// </summary>
public sealed class BareUserBoard : IDisposable
{
    public const ulong MemorySize = 64UL << 20;
    private const uint StackTop = 0x03FF0000;
    private const uint HeapLimit = 0x03000000;
    private const uint Wait = 0x42000020;
    private const uint GeneralVector = 0x180; // EBase 0x80000000 (kseg0) + 0x180, physical

    private readonly MemoryBlock _memory = new(MemorySize);
    private readonly ElfImage _image;
    private readonly string[] _argv;
    private readonly MemoryStream _stdout = new();
    private uint _brk;

    public BareUserBoard(GuestProgram program)
    {
        _image = program.Load();
        _argv = [System.IO.Path.GetFileName(program.Path), .. program.Arguments];
    }

    public string Output => Encoding.UTF8.GetString(_stdout.ToArray());

    /// <summary>Load the program afresh and run it to its exit; returns the instructions retired.</summary>
    public long Run(DeliveryMode delivery, long budget, out int exitStatus)
    {
        _stdout.SetLength(0);
        var loaded = ElfLoader.Load(_image, _memory, ElfAddressing.Virtual);
        _brk = (uint)MachinePage.RoundUp(loaded.HighestAddress);
        _memory.Clear(_brk, HeapLimit - _brk);
        _memory.Clear(StackTop - (1u << 20), 1u << 20);
        _memory.WriteUInt32(GeneralVector, Wait);

        var core = new Mips32Core(_memory, delivery, AddressingMode.Mips32, devices: null);
        core.WriteCp0(Cp0Register.Status, StatusBits.ERL); // kernel mode, BEV = 0, kuseg unmapped
        core.SetGpr(29, BuildInitialStack());
        core.Jump(loaded.Entry);
        while (true)
        {
            var result = core.Run(budget);
            switch (result.Kind)
            {
                case ExitKind.BudgetExhausted:
                    continue;
                case ExitKind.Exception when delivery == DeliveryMode.Host && core.LastException.Code == ExcCode.Sys:
                    if (SystemCall(core, out exitStatus))
                    {
                        return core.Retired;
                    }

                    core.CompleteInstruction();
                    continue;
                case ExitKind.Wait when delivery == DeliveryMode.Native && ((core.Cp0.Cause >> CauseBits.ExcCodeShift) & 31) == (uint)ExcCode.Sys:
                    if (SystemCall(core, out exitStatus))
                    {
                        return core.Retired;
                    }

                    uint resume = core.Cp0.EPC + 4;
                    core.WriteCp0(Cp0Register.Status, core.Cp0.Status & ~StatusBits.EXL);
                    core.Jump(resume);
                    continue;
                default:
                    throw new InvalidOperationException($"{_image.Name}: the core stopped with {result.Kind} at pc 0x{core.Pc:X8} ({core.LastException})");
            }
        }
    }

    /// <summary>The few Linux calls a libc program makes; true when it exited.</summary>
    private bool SystemCall(Mips32Core core, out int exitStatus)
    {
        exitStatus = 0;
        uint number = core.GetGpr(2);
        uint a0 = core.GetGpr(4);
        uint a1 = core.GetGpr(5);
        uint a2 = core.GetGpr(6);
        long result;
        switch (number)
        {
            case LinuxSyscall.Exit:
            case LinuxSyscall.ExitGroup:
                exitStatus = (int)(a0 & 0xFF);
                return true;
            case LinuxSyscall.Write when a0 is 1 or 2 && _memory.Contains(a1, a2):
                _stdout.Write(_memory.Slice(a1, (int)a2));
                result = a2;
                break;
            case LinuxSyscall.Brk:
                if (a0 >= _brk && a0 < HeapLimit)
                {
                    _brk = a0;
                }

                result = _brk;
                break;
            case LinuxSyscall.GetPid:
                result = 1;
                break;
            default:
                result = -LinuxSyscall.ENOSYS;
                break;
        }

        core.SetGpr(2, result < 0 ? (uint)-result : (uint)result);
        core.SetGpr(7, result < 0 ? 1u : 0u);
        return false;
    }

    /// <summary>argc, argv[], NULL, an empty envp, auxv {AT_PAGESZ, 4096}, AT_NULL, then the strings, as Linux builds it.</summary>
    private uint BuildInitialStack()
    {
        uint sp = StackTop;
        var pointers = new uint[_argv.Length];
        for (int i = _argv.Length - 1; i >= 0; i--)
        {
            byte[] s = Encoding.UTF8.GetBytes(_argv[i] + "\0");
            sp -= (uint)s.Length;
            _memory.Write(sp, s);
            pointers[i] = sp;
        }

        uint[] words = [(uint)_argv.Length, .. pointers, 0, 0, 6, MachinePage.Size, 0, 0];
        sp = (sp - (uint)(words.Length * 4)) & ~7u;
        for (int i = 0; i < words.Length; i++)
        {
            _memory.WriteUInt32(sp + (uint)(i * 4), words[i]);
        }

        return sp;
    }

    public void Dispose() => _memory.Dispose();
}
