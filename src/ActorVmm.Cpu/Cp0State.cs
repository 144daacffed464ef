namespace ActorVmm.Cpu;

/// <summary>
/// The CP0 registers of one processor as a plain value: the native core keeps one, and a
/// vCPU keeps one as its guest's virtual CP0, so the architectural read and write rules
/// (masks, side effects) are written once and shared by hardware and monitor.
/// </summary>
public struct Cp0State
{
    public const uint PRIdValue = 0x00019300; // MIPS Technologies 24Kc
    public const uint EBaseWriteGate = 1u << 11;
    private const uint EBaseResetValue = 0x80000000;
    private const uint ContextPteBaseMask = 0xFF800000;
    private const uint ContextBadVpn2Mask = 0x007FFFF0;
    private const uint PageMaskWritable = 0x1FFFE000;
    private const uint ConfigK0Mask = 7;
    private const uint HWREnaWritable = 0xF;
    private const uint IntCtlIptiTimerOnIp7 = 7u << 29;

    public uint Index;
    public uint Random;
    public uint EntryLo0;
    public uint EntryLo1;
    public uint Context;
    public uint PageMask;
    public uint Wired;
    public uint HWREna;
    public uint BadVAddr;
    public uint Count;
    public uint EntryHi;
    public uint Compare;
    public uint Status;
    public uint IntCtl;
    public uint Cause;
    public uint EPC;
    public uint EBase;
    public uint Config;
    public uint LLAddr;
    public uint ErrorEPC;
    public int TlbSize;

    /// <summary>The state the boot contract starts a CPU in (see docs/MACHINE.md).</summary>
    public static Cp0State Reset(int tlbSize, uint cpuNum = 0)
    {
        if (tlbSize is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(tlbSize), tlbSize, "Config1.MMUSize holds 1 to 64 TLB entries");
        }

        return new Cp0State
        {
            TlbSize = tlbSize,
            Random = (uint)tlbSize - 1,
            Status = StatusBits.BEV,
            EBase = EBaseResetValue | (cpuNum & 0x3FF),
            Config = EntryLoBits.CacheCacheable,
            IntCtl = IntCtlIptiTimerOnIp7,
        };
    }

    public readonly PrivilegeMode Mode =>
        (Status & (StatusBits.EXL | StatusBits.ERL)) != 0 ? PrivilegeMode.Kernel
        : ((Status & StatusBits.KsuMask) >> StatusBits.KsuShift) switch
        {
            0 => PrivilegeMode.Kernel,
            1 => PrivilegeMode.Supervisor,
            _ => PrivilegeMode.User,
        };

    public readonly uint Asid => EntryHi & EntryHiBits.AsidMask;

    /// <summary>Index holds as many bits as it takes to name every TLB entry; the rest read as zero.</summary>
    public readonly uint IndexMask => TlbSize <= 1 ? 0 : (uint)((1 << (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)TlbSize - 1))) - 1);

    /// <summary>Cause.DC: Count is stopped.</summary>
    public readonly bool CountStopped => (Cause & CauseBits.DC) != 0;

    /// <summary>An interrupt is requested, unmasked, and the CPU accepts interrupts.</summary>
    public readonly bool InterruptDeliverable =>
        (Status & (StatusBits.IE | StatusBits.EXL | StatusBits.ERL)) == StatusBits.IE
        && (Cause & Status & CauseBits.IPMask) != 0;

    public readonly uint Config1 =>
        (1u << 31) | ((uint)(TlbSize - 1) << 25)
        | (2u << 22) | (4u << 19) | (3u << 16)   // I-cache: 256 sets, 32-byte lines, 4-way (32 KB, as a 24Kc)
        | (2u << 13) | (4u << 10) | (3u << 7);    // D-cache likewise; no FPU (FP = 0)

    public readonly uint Read(int reg) => reg switch
    {
        Cp0Register.Index => Index,
        Cp0Register.Random => Random,
        Cp0Register.EntryLo0 => EntryLo0,
        Cp0Register.EntryLo1 => EntryLo1,
        Cp0Register.Context => Context,
        Cp0Register.PageMask => PageMask,
        Cp0Register.Wired => Wired,
        Cp0Register.HWREna => HWREna,
        Cp0Register.BadVAddr => BadVAddr,
        Cp0Register.Count => Count,
        Cp0Register.EntryHi => EntryHi,
        Cp0Register.Compare => Compare,
        Cp0Register.Status => Status,
        Cp0Register.IntCtl => IntCtl,
        Cp0Register.Cause => Cause,
        Cp0Register.EPC => EPC,
        Cp0Register.PRId => PRIdValue,
        Cp0Register.EBase => EBase,
        // Config: M, AR = 1 (Release 2), MT = 1 (standard TLB), little-endian, K0.
        Cp0Register.Config => 0x80000000u | (1u << 10) | (1u << 7) | (Config & ConfigK0Mask),
        Cp0Register.Config1 => Config1,
        Cp0Register.Config2 => 0x80000000u, // Config3 follows; no L2/L3 cache
        Cp0Register.Config3 => 0,
        Cp0Register.LLAddr => LLAddr,
        Cp0Register.ErrorEPC => ErrorEPC,
        _ => 0,
    };

    public Cp0WriteEffect Write(int reg, uint value)
    {
        switch (reg)
        {
            case Cp0Register.Index:
                Index = (Index & 0x80000000) | (value & IndexMask);
                return Cp0WriteEffect.None;
            case Cp0Register.EntryLo0:
                EntryLo0 = value & EntryLoBits.WritableMask;
                return Cp0WriteEffect.None;
            case Cp0Register.EntryLo1:
                EntryLo1 = value & EntryLoBits.WritableMask;
                return Cp0WriteEffect.None;
            case Cp0Register.Context:
                Context = (Context & ContextBadVpn2Mask) | (value & ContextPteBaseMask);
                return Cp0WriteEffect.None;
            case Cp0Register.PageMask:
                PageMask = value & PageMaskWritable;
                return Cp0WriteEffect.None;
            case Cp0Register.Wired:
                Wired = value & 0x3F;
                Random = (uint)TlbSize - 1;
                return Cp0WriteEffect.None;
            case Cp0Register.HWREna:
                HWREna = value & HWREnaWritable;
                return Cp0WriteEffect.None;
            case Cp0Register.Count:
                Count = value;
                return Cp0WriteEffect.Timer;
            case Cp0Register.EntryHi:
            {
                uint old = EntryHi;
                EntryHi = value & EntryHiBits.WritableMask;
                return ((old ^ EntryHi) & EntryHiBits.AsidMask) != 0 ? Cp0WriteEffect.Asid : Cp0WriteEffect.None;
            }
            case Cp0Register.Compare:
                Compare = value;
                Cause &= ~(CauseBits.TI | CauseBits.IP7);
                return Cp0WriteEffect.Timer | Cp0WriteEffect.Interrupts;
            case Cp0Register.Status:
            {
                uint old = Status;
                Status = (Status & ~StatusBits.WritableMask) | (value & StatusBits.WritableMask);
                Status &= ~StatusBits.ClearOnlyMask | (old & value); // software may clear SR, NMI, TS, never set them
                return StatusChange(old, Status);
            }
            case Cp0Register.IntCtl:
                // VS is read-only zero: Config3 advertises no vectored interrupts.
                return Cp0WriteEffect.None;
            case Cp0Register.Cause:
                Cause = (Cause & ~CauseBits.WritableMask) | (value & CauseBits.WritableMask);
                return Cp0WriteEffect.Interrupts | Cp0WriteEffect.Timer;
            case Cp0Register.EPC:
                EPC = value;
                return Cp0WriteEffect.None;
            case Cp0Register.EBase:
            {
                uint mask = 0x3FFFF000 | EBaseWriteGate;
                if ((value & EBaseWriteGate) != 0)
                {
                    mask |= 0xC0000000;
                }

                EBase = (EBase & ~mask) | (value & mask);
                return Cp0WriteEffect.None;
            }
            case Cp0Register.Config:
                Config = value & ConfigK0Mask;
                return Cp0WriteEffect.None;
            case Cp0Register.ErrorEPC:
                ErrorEPC = value;
                return Cp0WriteEffect.None;
            default:
                // Random, BadVAddr, PRId, Config1-3, LLAddr are read-only; unimplemented registers ignore writes.
                return Cp0WriteEffect.None;
        }
    }

    /// <summary>Effects of a Status change, also used by exception entry and ERET.</summary>
    public static Cp0WriteEffect StatusChange(uint oldStatus, uint newStatus)
    {
        uint diff = oldStatus ^ newStatus;
        var effect = Cp0WriteEffect.None;
        if ((diff & (StatusBits.KsuMask | StatusBits.EXL | StatusBits.ERL)) != 0)
        {
            effect |= Cp0WriteEffect.Mode;
        }

        if ((diff & StatusBits.ERL) != 0)
        {
            effect |= Cp0WriteEffect.ErrorLevel;
        }

        if ((diff & (StatusBits.IE | StatusBits.EXL | StatusBits.ERL | StatusBits.IMMask)) != 0)
        {
            effect |= Cp0WriteEffect.Interrupts;
        }

        return effect;
    }

    /// <summary>Count reached Compare: the timer interrupt request, routed to IP7 (IntCtl.IPTI = 7).</summary>
    public void RaiseTimerInterrupt() => Cause |= CauseBits.TI | CauseBits.IP7;

    /// <summary>The exception vector base: the boot vectors while BEV = 1, else EBase.</summary>
    public readonly uint VectorBase => (Status & StatusBits.BEV) != 0 ? 0xBFC00200 : EBase & 0xFFFFF000;

    /// <summary>
    /// Exception entry as the PRA describes it, on this register set: EPC/BD only when EXL was
    /// clear, the refill vector only for a refill with EXL clear. Returns the vector address.
    /// </summary>
    public uint EnterException(in GuestException e, out Cp0WriteEffect effect)
    {
        uint offset = 0x180;
        if ((Status & StatusBits.EXL) == 0)
        {
            EPC = e.InDelaySlot ? e.Pc - 4 : e.Pc;
            Cause = e.InDelaySlot ? Cause | CauseBits.BD : Cause & ~CauseBits.BD;
            if (e.IsTlbRefill)
            {
                offset = 0;
            }
            else if (e.Code == ExcCode.Int && (Cause & CauseBits.IV) != 0)
            {
                offset = 0x200;
            }
        }

        Cause = (Cause & ~(CauseBits.ExcCodeMask | CauseBits.CEMask))
            | ((uint)e.Code << CauseBits.ExcCodeShift)
            | ((uint)e.CoprocessorUnit << CauseBits.CEShift);

        if (e.Code is ExcCode.AdEL or ExcCode.AdES or ExcCode.TlbL or ExcCode.TlbS or ExcCode.Mod)
        {
            BadVAddr = e.BadVAddr;
        }

        if (e.Code is ExcCode.TlbL or ExcCode.TlbS or ExcCode.Mod)
        {
            Context = (Context & ContextPteBaseMask) | ((e.BadVAddr >> 9) & ContextBadVpn2Mask);
            EntryHi = (e.BadVAddr & EntryHiBits.Vpn2Mask) | (EntryHi & EntryHiBits.AsidMask);
        }

        uint old = Status;
        Status |= StatusBits.EXL;
        effect = StatusChange(old, Status);
        return VectorBase + offset;
    }

    /// <summary>ERET: leave the error or exception level; returns where execution continues.</summary>
    public uint ReturnFromException(out Cp0WriteEffect effect)
    {
        uint old = Status;
        uint target;
        if ((Status & StatusBits.ERL) != 0)
        {
            target = ErrorEPC;
            Status &= ~StatusBits.ERL;
        }
        else
        {
            target = EPC;
            Status &= ~StatusBits.EXL;
        }

        effect = StatusChange(old, Status);
        return target;
    }
}
