using System.Runtime.CompilerServices;
using ActorVmm.Memory;

namespace ActorVmm.Cpu;

/// <summary>
/// One MIPS32 Release 2 processor: GPRs, HI/LO, PC, CP0 and TLB, and an interpreter that
/// runs a bounded number of instructions and reports why it stopped. It knows nothing of
/// the monitor: under host delivery it simply stops at each guest exception.
/// </summary>
public sealed unsafe partial class Mips32Core
{
    // A small direct-mapped cache of page translations per privilege mode and access kind:
    // tag = virtual page | ASID, value = host address of the page. It makes the common load
    // and store a compare and an indexed read; the TLB and segment rules run only on a miss.
    private const int TcBits = 8;
    private const int TcSize = 1 << TcBits;
    private const uint TcMask = TcSize - 1;
    private const uint InvalidTag = 0xFFFFFFFF;
    private const ulong InvalidFetchTag = ulong.MaxValue;
    private const int TcTables = 6; // 3 modes x (read, write)

    private readonly uint[] _gprStore = GC.AllocateArray<uint>(32, pinned: true);
    private readonly uint* _gpr;
    private readonly uint[] _tagStore = GC.AllocateArray<uint>(TcTables * TcSize, pinned: true);
    private readonly nint[] _hostStore = GC.AllocateArray<nint>(TcTables * TcSize, pinned: true);
    private readonly MemoryBlock _ram;
    private readonly byte* _ramBase;
    private readonly ulong _ramSize;
    private readonly IDeviceBus? _devices;
    private readonly byte[]? _flatPermissions;

    private uint* _rdTag;
    private nint* _rdHost;
    private uint* _wrTag;
    private nint* _wrHost;
    private ulong _fetchTag = InvalidFetchTag;
    private byte* _fetchHost;
    private uint _asid;
    private PrivilegeMode _mode;
    private bool _stopRequested;
    private GuestException _lastException;

    public uint Hi;
    public uint Lo;

    /// <summary>Address of the next instruction to execute.</summary>
    public uint Pc;

    /// <summary>Address of the instruction after it: the branch target while <see cref="Pc"/> is a delay slot.</summary>
    public uint NextPc;

    /// <summary><see cref="Pc"/> is the delay slot of a branch that has executed.</summary>
    public bool InDelaySlot;

    /// <summary>The LL bit: set by LL, cleared by ERET; SC stores only while it is set.</summary>
    public bool LLBit;

    /// <summary>
    /// The CP0 registers. Code outside the core must change them through <see cref="WriteCp0"/>
    /// (or call <see cref="Cp0Changed"/>), because the core caches state derived from them.
    /// </summary>
    public Cp0State Cp0;

    public Mips32Core(MemoryBlock ram, DeliveryMode delivery, AddressingMode addressing = AddressingMode.Mips32,
        IDeviceBus? devices = null, int tlbSize = 64, uint cpuNum = 0)
    {
        _ram = ram ?? throw new ArgumentNullException(nameof(ram));
        _ramBase = ram.Base;
        _ramSize = ram.Size;
        _devices = devices;
        Delivery = delivery;
        Addressing = addressing;
        Tlb = new Tlb(tlbSize);
        Cp0 = Cp0State.Reset(tlbSize, cpuNum);
        _gpr = (uint*)Unsafe.AsPointer(ref _gprStore[0]);
        if (addressing == AddressingMode.FlatUser)
        {
            _flatPermissions = new byte[0x80000000u >> MachinePage.Shift];
            Cp0.Status = (uint)PrivilegeMode.User << StatusBits.KsuShift;
            Cp0.HWREna = 0xF; // as Linux grants user programs RDHWR of CPUNum, SYNCI_Step, CC, CCRes
        }

        InvalidateTranslations();
        Cp0Changed(Cp0WriteEffect.Mode | Cp0WriteEffect.Asid);
        Pc = 0xBFC00000;
        NextPc = Pc + 4;
    }

    public DeliveryMode Delivery { get; }

    public AddressingMode Addressing { get; }

    public Tlb Tlb { get; }

    public MemoryBlock Memory => _ram;

    private readonly long[] _retiredByMode = new long[3];
    private readonly long[] _exceptionsByCode = new long[32];

    /// <summary>Instructions retired since the core was created.</summary>
    public long Retired { get; private set; }

    /// <summary>Instructions retired in <paramref name="mode"/>, emulated ones included.</summary>
    public long RetiredIn(PrivilegeMode mode) => _retiredByMode[(int)mode];

    /// <summary>Exceptions the core vectored itself (native delivery), by ExcCode.</summary>
    public long ExceptionsDelivered(ExcCode code) => _exceptionsByCode[(int)code];

    /// <summary>When set, told of every exception the core vectors and every ERET it executes.</summary>
    public ServiceProfile? Profile { get; set; }

    /// <summary>
    /// ERETs into user mode under a different ASID than the previous one: context switches,
    /// as the hardware sees them.
    /// </summary>
    public long ContextSwitches => _contextSwitches.Count;

    private readonly ContextSwitchCounter _contextSwitches = new();

    /// <summary>TLB refills that went to the refill vector (EXL was clear).</summary>
    public long TlbRefillsDelivered { get; private set; }

    /// <summary>The exception that ended the last run under host delivery.</summary>
    public GuestException LastException => _lastException;

    public PrivilegeMode Mode => _mode;

    public Span<uint> Gpr => _gprStore;

    /// <summary>The guest's registers, PC and counters as a value (<see cref="CoreState"/>).</summary>
    public CoreState CaptureState() => new(
        [.. _gprStore], Hi, Lo, Pc, NextPc, InDelaySlot, LLBit, Retired, [.. _retiredByMode]);

    /// <summary>
    /// Put <paramref name="state"/> back. The TLB and CP0 are the caller's; translations cached
    /// from before are dropped.
    /// </summary>
    public void RestoreState(CoreState state)
    {
        if (state.Gpr.Length != 32 || state.RetiredByMode.Length != _retiredByMode.Length)
        {
            throw new ArgumentException("a core state has 32 registers and a counter per privilege mode", nameof(state));
        }

        state.Gpr.CopyTo(_gprStore);
        _gprStore[0] = 0;
        Hi = state.Hi;
        Lo = state.Lo;
        Pc = state.Pc;
        NextPc = state.NextPc;
        InDelaySlot = state.InDelaySlot;
        LLBit = state.LLBit;
        Retired = state.Retired;
        state.RetiredByMode.CopyTo(_retiredByMode);
        InvalidateTranslations();
    }

    public uint GetGpr(int index) => _gpr[index & 31];

    public void SetGpr(int index, uint value)
    {
        if ((index & 31) != 0)
        {
            _gpr[index & 31] = value;
        }
    }

    /// <summary>Continue at <paramref name="pc"/> with no branch pending.</summary>
    public void Jump(uint pc)
    {
        Pc = pc;
        NextPc = pc + 4;
        InDelaySlot = false;
    }

    /// <summary>
    /// Retire the instruction at <see cref="Pc"/> without executing it: what a host does after
    /// it has emulated that instruction (a system call, a privileged instruction). A pending
    /// branch is honoured, so an emulated instruction in a delay slot continues at the target.
    /// </summary>
    public void CompleteInstruction()
    {
        Pc = NextPc;
        NextPc = Pc + 4;
        InDelaySlot = false;
        CountRetired();
    }

    /// <summary>Retire the instruction at <see cref="Pc"/> as a jump to <paramref name="target"/> (an emulated ERET).</summary>
    public void RetireAndJump(uint target)
    {
        Jump(target);
        CountRetired();
    }

    private void CountRetired()
    {
        Retired++;
        _retiredByMode[(int)_mode]++;
        if (!Cp0.CountStopped)
        {
            Cp0.Count++;
        }
    }

    public uint ReadCp0(int reg) => Cp0.Read(reg);

    /// <summary>MTC0 from outside the guest (a loader, a monitor), with the architectural masks.</summary>
    public void WriteCp0(int reg, uint value) => Cp0Changed(Cp0.Write(reg, value));

    /// <summary>Write a TLB entry from outside the guest; cached translations of the old entry are dropped.</summary>
    public void WriteTlb(int index, TlbEntry entry)
    {
        InvalidateEntry(Tlb[index]);
        Tlb.Set(index, entry);
    }

    /// <summary>Invalidate every machine TLB entry (Disco's flush on a machine switch).</summary>
    public void FlushTlb()
    {
        Tlb.Flush();
        InvalidateTranslations();
    }

    /// <summary>Refresh what the core derives from CP0 after <see cref="Cp0"/> was changed directly.</summary>
    public void Cp0Changed(Cp0WriteEffect effect)
    {
        if ((effect & Cp0WriteEffect.ErrorLevel) != 0)
        {
            InvalidateTranslations(); // kuseg flips between mapped and unmapped
        }

        if ((effect & (Cp0WriteEffect.Mode | Cp0WriteEffect.Asid)) != 0)
        {
            _asid = Addressing == AddressingMode.Mips32 ? Cp0.Asid : 0;
            _mode = Cp0.Mode;
            int table = (int)_mode * 2;
            fixed (uint* tags = _tagStore)
            fixed (nint* hosts = _hostStore)
            {
                // The stores are pinned, so these pointers stay valid after the fixed block.
                _rdTag = tags + (table * TcSize);
                _rdHost = hosts + (table * TcSize);
                _wrTag = tags + ((table + 1) * TcSize);
                _wrHost = hosts + ((table + 1) * TcSize);
            }

            _fetchTag = InvalidFetchTag;
        }
    }

    /// <summary>Grant a FlatUser process access to [<paramref name="va"/>, +<paramref name="length"/>).</summary>
    public void MapFlat(uint va, uint length, PagePermission permission)
    {
        if (_flatPermissions is null)
        {
            throw new InvalidOperationException("MapFlat applies to FlatUser addressing only");
        }

        ulong end = (ulong)va + length;
        if (end > 0x80000000UL || end > _ramSize)
        {
            throw new ArgumentOutOfRangeException(nameof(va), $"[0x{va:X8}, 0x{end:X8}) lies outside the process's memory");
        }

        for (ulong page = va >> MachinePage.Shift; page < (end + MachinePage.OffsetMask) >> MachinePage.Shift; page++)
        {
            _flatPermissions[page] = (byte)permission;
        }

        InvalidateTranslations();
    }

    public PagePermission FlatPermission(uint va) =>
        _flatPermissions is not null && va < 0x80000000u ? (PagePermission)_flatPermissions[va >> MachinePage.Shift] : PagePermission.None;

    public void InvalidateTranslations()
    {
        Array.Fill(_tagStore, InvalidTag);
        _fetchTag = InvalidFetchTag;
    }

    private void InvalidateEntry(in TlbEntry entry)
    {
        uint pages = (entry.PageSize * 2) >> MachinePage.Shift;
        if (pages > TcSize)
        {
            InvalidateTranslations();
            return;
        }

        uint first = entry.VirtualBase & ~MachinePage.OffsetMask;
        for (uint p = 0; p < pages; p++)
        {
            uint page = first + (p << MachinePage.Shift);
            uint slot = (page >> MachinePage.Shift) & TcMask;
            for (int t = 0; t < TcTables; t++)
            {
                ref uint tag = ref _tagStore[(t * TcSize) + (int)slot];
                if ((tag & ~MachinePage.OffsetMask) == page)
                {
                    tag = InvalidTag;
                }
            }
        }

        _fetchTag = InvalidFetchTag;
    }
}
