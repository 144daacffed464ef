using ActorVmm.Memory;
using Xunit;

namespace ActorVmm.Cpu.Tests.Instructions;

/// <summary>
/// A core on a small RAM with a program in kseg0, for instruction-level tests. Code goes at
/// physical 0x1000 and runs at <see cref="CodeBase"/> in kernel mode (the reset state makes
/// kseg0 usable at once); data at physical 0x10000 is <see cref="DataBase"/> in kseg0.
/// For native delivery, <see cref="InstallVectorStops"/> puts a WAIT at each exception
/// vector, so a run ends (ExitKind.Wait) the moment the core vectors an exception.
/// </summary>
internal sealed class CpuHarness : IDisposable
{
    public const uint CodeBase = 0x80001000;
    public const uint DataBase = 0x80010000;
    public const uint DataPhys = 0x00010000;

    /// <summary>User-mode code and data, mapped by <see cref="EnterUserMode"/> through TLB entries 0 and 1.</summary>
    public const uint UserCode = 0x00400000;
    public const uint UserCodePhys = 0x00100000;
    public const uint UserData = 0x00800000;
    public const uint UserDataPhys = 0x00200000;

    public CpuHarness(DeliveryMode delivery = DeliveryMode.Host, ulong ramSize = 4 << 20, int tlbSize = 64, uint cpuNum = 0)
    {
        Ram = new MemoryBlock(ramSize);
        Core = new Mips32Core(Ram, delivery, tlbSize: tlbSize, cpuNum: cpuNum);
        Core.Jump(CodeBase);
    }

    public MemoryBlock Ram { get; }

    public Mips32Core Core { get; }

    public Cp0State Cp0 => Core.Cp0;

    public uint this[int register]
    {
        get => Core.GetGpr(register);
        set => Core.SetGpr(register, value);
    }

    /// <summary>Physical address of a kseg0/kseg1 address.</summary>
    public static uint Phys(uint unmapped) => unmapped & 0x1FFFFFFF;

    /// <summary>Put <paramref name="code"/> at <see cref="CodeBase"/> and continue there.</summary>
    public CpuHarness Load(params uint[] code) => LoadAt(CodeBase, code);

    /// <summary>Put <paramref name="code"/> at a kseg0/kseg1 address and continue there.</summary>
    public CpuHarness LoadAt(uint address, params uint[] code)
    {
        Place(Phys(address), code);
        Core.Jump(address);
        return this;
    }

    /// <summary>Write words at a physical address without moving the PC.</summary>
    public void Place(uint physical, params uint[] words)
    {
        for (int i = 0; i < words.Length; i++)
        {
            Ram.WriteUInt32(physical + ((uint)i * 4), words[i]);
        }
    }

    public uint Read32(uint physical) => Ram.ReadUInt32(physical);

    public void Write32(uint physical, uint value) => Ram.WriteUInt32(physical, value);

    public byte Read8(uint physical) => Ram.Slice(physical, 1)[0];

    public void Write8(uint physical, byte value) => Ram.Slice(physical, 1)[0] = value;

    public void WriteBytes(uint physical, params byte[] bytes) => Ram.Write(physical, bytes);

    public byte[] ReadBytes(uint physical, int length) => Ram.Slice(physical, length).ToArray();

    public RunResult Run(long budget) => Core.Run(budget);

    /// <summary>Host delivery: run until the core reports an exception, which must come within <paramref name="budget"/>.</summary>
    public GuestException RunToException(long budget = 10_000)
    {
        var result = Core.Run(budget);
        Assert.True(result.Kind == ExitKind.Exception, $"expected an exception, got {result.Kind} after {result.Retired} at 0x{Core.Pc:X8}");
        return Core.LastException;
    }

    /// <summary>Host delivery: run until a BREAK stops the core, and return the BREAK's address.</summary>
    public uint RunToBreak(long budget = 10_000)
    {
        var e = RunToException(budget);
        Assert.True(e.Code == ExcCode.Bp, $"expected the closing break, got {e}");
        return e.Pc;
    }

    /// <summary>Run <paramref name="code"/> followed by BREAK from <see cref="CodeBase"/>; the BREAK must be reached.</summary>
    public CpuHarness Execute(params uint[] code)
    {
        Load([.. code, Asm.Break()]);
        uint at = RunToBreak();
        Assert.Equal(CodeBase + ((uint)code.Length * 4), at);
        return this;
    }

    /// <summary>Run <paramref name="code"/> (no BREAK appended) and expect it to fault with <paramref name="code"/>.</summary>
    public GuestException ExecuteExpecting(ExcCode expected, params uint[] code)
    {
        Load([.. code, Asm.Break()]);
        var e = RunToException();
        Assert.True(e.Code == expected, $"expected {expected}, got {e}");
        return e;
    }

    // ---- CP0 and modes ----------------------------------------------------------------

    public void WriteCp0(int register, uint value) => Core.WriteCp0(register, value);

    public uint ReadCp0(int register) => Core.ReadCp0(register);

    /// <summary>Status with KSU = <paramref name="mode"/>, EXL = ERL = 0, BEV cleared, plus <paramref name="extra"/>.</summary>
    public void SetStatus(PrivilegeMode mode, uint extra = 0) =>
        WriteCp0(Cp0Register.Status, ((uint)mode << StatusBits.KsuShift) | extra);

    // ---- TLB ---------------------------------------------------------------------------

    public static uint Lo(uint physical, bool valid = true, bool dirty = true, bool global = false, uint cache = EntryLoBits.CacheCacheable) =>
        EntryLoBits.Make(physical >> 12, cache, dirty, valid, global);

    public static uint Hi(uint virtualAddress, uint asid = 0) => (virtualAddress & EntryHiBits.Vpn2Mask) | (asid & EntryHiBits.AsidMask);

    /// <summary>Install a TLB entry directly (as a loader would).</summary>
    public void SetTlb(int index, uint entryHi, uint entryLo0, uint entryLo1, uint pageMask = 0) =>
        Core.WriteTlb(index, new TlbEntry(entryHi & ~pageMask, pageMask, entryLo0, entryLo1));

    /// <summary>Map an 8 KB pair of 4 KB pages: <paramref name="va"/> (even) to <paramref name="pa"/>, the odd page to pa + 4 KB.</summary>
    public void MapPair(int index, uint va, uint pa, bool global = true, uint asid = 0, bool dirty = true) =>
        SetTlb(index, Hi(va, asid), Lo(pa, dirty: dirty, global: global), Lo(pa + 0x1000, dirty: dirty, global: global));

    /// <summary>
    /// Map <see cref="UserCode"/> and <see cref="UserData"/>, copy <paramref name="code"/> there and
    /// continue in user mode (KSU = 2, EXL = ERL = 0, BEV = 0) at <see cref="UserCode"/>.
    /// </summary>
    public CpuHarness EnterUserMode(params uint[] code) => EnterMappedMode(PrivilegeMode.User, 0, code);

    public CpuHarness EnterMappedMode(PrivilegeMode mode, uint statusExtra, params uint[] code)
    {
        MapPair(0, UserCode, UserCodePhys);
        MapPair(1, UserData, UserDataPhys);
        Place(UserCodePhys, code);
        SetStatus(mode, statusExtra);
        Core.Jump(UserCode);
        return this;
    }

    // ---- native-delivery vector stops ---------------------------------------------------------

    /// <summary>
    /// Put a WAIT at EBase + 0x000, 0x180, 0x200 (and, if RAM reaches them, at the BEV vectors),
    /// so a native run stops (ExitKind.Wait, Pc = vector + 4) as soon as an exception is taken.
    /// </summary>
    public void InstallVectorStops(uint ebase = 0x80000000)
    {
        foreach (uint offset in (uint[])[0x000, 0x180, 0x200])
        {
            Place(Phys(ebase) + offset, Asm.Wait);
        }

        if (Ram.Size >= 0x1FC01000)
        {
            foreach (uint vector in (uint[])[0xBFC00200, 0xBFC00380, 0xBFC00400])
            {
                Place(Phys(vector), Asm.Wait);
            }
        }
    }

    /// <summary>Native delivery: run until a vector's WAIT stops the core; returns the vector taken.</summary>
    public uint RunToVector(long budget = 10_000)
    {
        var result = Core.Run(budget);
        Assert.True(result.Kind == ExitKind.Wait, $"expected the core to reach a vector, got {result.Kind} at 0x{Core.Pc:X8}");
        return Core.Pc - 4;
    }

    public static uint ExcCodeOf(uint cause) => (cause & CauseBits.ExcCodeMask) >> CauseBits.ExcCodeShift;

    public void Dispose() => Ram.Dispose();
}
