using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using ActorVmm.Cpu;
using ActorVmm.Memory;

namespace ActorVmm.Monitor;

/// <summary>
/// The binary form of a <see cref="VmState"/>: an 8-byte magic, the format version, the
/// payload's length and its SHA-256, then the payload, little-endian throughout. A decode
/// checks all four before it builds anything, so a state of another version, cut short or
/// corrupt is refused whole with a message saying which, and nothing half-restored exists.
/// </summary>
public static class VmStateCodec
{
    /// <summary>Raise this whenever the payload's layout changes.</summary>
    public const ushort FormatVersion = 3; // 2: the vCPU's dirty pages; 3: a paravirtual guest's special page

    private static readonly byte[] Magic = "AVMSTATE"u8.ToArray();
    private const int HeaderSize = 8 + 2 + 2 + 4 + 32;

    public static byte[] Encode(VmState state)
    {
        var w = new StateWriter();
        w.I32(state.Vm);
        WriteVcpu(w, state.Vcpu);
        WriteRouter(w, state.Router);
        var payload = w.Written;
        var bytes = new byte[HeaderSize + payload.Length];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), payload.Length);
        SHA256.HashData(payload, bytes.AsSpan(16, 32));
        payload.CopyTo(bytes.AsSpan(HeaderSize));
        return bytes;
    }

    public static VmState Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize || !bytes[..8].SequenceEqual(Magic))
        {
            throw new StateFormatException("not a VM state (it does not start with AVMSTATE)");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
        if (version != FormatVersion)
        {
            throw new StateFormatException($"a VM state of format version {version}; this build reads version {FormatVersion} only");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        if (length < 0 || length != bytes.Length - HeaderSize)
        {
            throw new StateFormatException($"the VM state says its payload is {length} bytes, but {bytes.Length - HeaderSize} follow: it was cut short or extended");
        }

        var payload = bytes[HeaderSize..];
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        if (!hash.SequenceEqual(bytes.Slice(16, 32)))
        {
            throw new StateFormatException("the VM state's checksum does not match its contents: it is corrupt");
        }

        var r = new StateReader(payload);
        int vm = r.I32();
        var vcpu = ReadVcpu(ref r);
        var router = ReadRouter(ref r);
        if (!r.AtEnd)
        {
            throw new StateFormatException("the VM state has bytes after its last field");
        }

        return new VmState(vm, vcpu, router);
    }

    private static void WriteVcpu(StateWriter w, VcpuState s)
    {
        var c = s.Core;
        w.I32(c.Gpr.Length);
        foreach (uint g in c.Gpr)
        {
            w.U32(g);
        }

        w.U32(c.Hi);
        w.U32(c.Lo);
        w.U32(c.Pc);
        w.U32(c.NextPc);
        w.Bool(c.InDelaySlot);
        w.Bool(c.LLBit);
        w.I64(c.Retired);
        Longs(w, c.RetiredByMode.AsSpan());
        WriteCp0(w, s.Virtual);
        w.I32(s.VirtualTlb.Length);
        foreach (var e in s.VirtualTlb)
        {
            w.U32(e.EntryHi);
            w.U32(e.PageMask);
            w.U32(e.EntryLo0);
            w.U32(e.EntryLo1);
        }

        w.U32(s.Timer.Offset);
        w.U32(s.Timer.Stopped);
        w.I64(s.Timer.IdleCycles);
        w.I64(s.Loop.RetiredAtLast);
        w.I32(s.Loop.WithoutProgress);
        w.String(s.Loop.Stuck);
        w.Bool(s.ResumePending);
        w.U32(s.ResumeTarget);
        w.I64(s.L2TlbHits);
        Longs(w, s.Ledger.Cycles);
        Longs(w, s.Ledger.Events);
        var t = s.Services.Totals;
        Longs(w, t.Count);
        Longs(w, t.Instructions);
        Longs(w, t.MonitorCycles);
        w.I32(t.Syscalls.Length);
        foreach (var call in t.Syscalls)
        {
            w.U32(call.Number);
            w.I64(call.Count);
            w.I64(call.Instructions);
            w.I64(call.MonitorCycles);
        }

        w.I32(s.Services.Open.Length);
        foreach (var o in s.Services.Open)
        {
            w.Byte((byte)o.Service);
            w.U32(o.Syscall);
            w.I64(o.Instructions);
            w.I64(o.MonitorCycles);
        }

        w.I64(s.ContextSwitches);
        w.U32(s.LastUserAsid);
        w.I32(s.Traps.Length);
        foreach (var trap in s.Traps)
        {
            w.I32(trap.Key);
            w.Byte((byte)trap.Kind);
            WriteException(w, trap.First);
            w.I64(trap.Count);
        }

        w.I32(s.PageFacts.Length);
        foreach (var m in s.PageFacts)
        {
            w.U32(m.Ppn.Value);
            w.Byte((byte)m.Kind);
            w.U32(m.Mpn.Value);
            w.Bool(m.Fresh);
        }

        w.Bool(s.Dirty.Tracking);
        w.I32(s.Dirty.Pages.Length);
        foreach (uint ppn in s.Dirty.Pages)
        {
            w.U32(ppn);
        }
        w.Bool(s.SpecialArea.HasValue);
        w.U32(s.SpecialArea?.Value ?? 0);
    }

    private static VcpuState ReadVcpu(ref StateReader r)
    {
        int gprs = r.Count(4);
        var gpr = ImmutableArray.CreateBuilder<uint>(gprs);
        for (int i = 0; i < gprs; i++)
        {
            gpr.Add(r.U32());
        }

        var core = new CoreState(gpr.MoveToImmutable(), r.U32(), r.U32(), r.U32(), r.U32(), r.Bool(), r.Bool(), r.I64(), [.. Longs(ref r)]);
        var cp0 = ReadCp0(ref r);
        int entries = r.Count(16);
        var tlb = ImmutableArray.CreateBuilder<TlbEntry>(entries);
        for (int i = 0; i < entries; i++)
        {
            tlb.Add(new TlbEntry(r.U32(), r.U32(), r.U32(), r.U32()));
        }

        var timer = new TimerState(r.U32(), r.U32(), r.I64());
        var loop = new LoopState(r.I64(), r.I32(), r.String());
        bool resumePending = r.Bool();
        uint resumeTarget = r.U32();
        long hits = r.I64();
        var ledger = new LedgerSnapshot(Longs(ref r), Longs(ref r));
        long[] count = Longs(ref r), instructions = Longs(ref r), monitorCycles = Longs(ref r);
        var syscalls = new SyscallProfile[r.Count(28)];
        for (int i = 0; i < syscalls.Length; i++)
        {
            syscalls[i] = new SyscallProfile(r.U32(), r.I64(), r.I64(), r.I64());
        }

        var open = new OpenService[r.Count(21)];
        for (int i = 0; i < open.Length; i++)
        {
            open[i] = new OpenService((Service)r.Byte(), r.U32(), r.I64(), r.I64());
        }

        var services = new ServiceProfileState(new ServiceProfileSnapshot(count, instructions, monitorCycles, syscalls), open);
        long switches = r.I64();
        uint lastAsid = r.U32();
        int trapRows = r.Count(28);
        var traps = ImmutableArray.CreateBuilder<TrapCount>(trapRows);
        for (int i = 0; i < trapRows; i++)
        {
            traps.Add(new TrapCount(r.I32(), (TrapKind)r.Byte(), ReadException(ref r), r.I64()));
        }

        int facts = r.Count(10);
        var pages = ImmutableArray.CreateBuilder<GuestPageMapping>(facts);
        for (int i = 0; i < facts; i++)
        {
            pages.Add(new GuestPageMapping(new Ppn(r.U32()), (GuestPageKind)r.Byte(), new Mpn(r.U32()), r.Bool()));
        }

        bool tracking = r.Bool();
        int dirtyCount = r.Count(4);
        var dirty = ImmutableArray.CreateBuilder<uint>(dirtyCount);
        for (int i = 0; i < dirtyCount; i++)
        {
            dirty.Add(r.U32());
        }

        bool paravirtual = r.Bool();
        uint area = r.U32();
        return new VcpuState(core, cp0, tlb.MoveToImmutable(), timer, loop, resumePending, resumeTarget, hits, ledger, services,
            switches, lastAsid, traps.MoveToImmutable(), pages.MoveToImmutable(), new DirtyPages(tracking, dirty.MoveToImmutable()))
        {
            SpecialArea = paravirtual ? new Ppn(area) : null,
        };
    }

    private static void WriteRouter(StateWriter w, RouterState s)
    {
        w.Bytes(s.PendingInput.AsSpan());
        w.Bool(s.PoweredOff);
        w.I32(s.ExitStatus);
        w.I64(s.ConsoleOffset);
        w.Bytes(s.PendingOutput.AsSpan());
        w.U32(s.RecordedEBase);
    }

    private static RouterState ReadRouter(ref StateReader r) =>
        new([.. r.Bytes()], r.Bool(), r.I32(), r.I64(), [.. r.Bytes()], r.U32());

    private static void WriteCp0(StateWriter w, in Cp0State c)
    {
        foreach (uint v in (ReadOnlySpan<uint>)[c.Index, c.Random, c.EntryLo0, c.EntryLo1, c.Context, c.PageMask, c.Wired, c.HWREna,
                     c.BadVAddr, c.Count, c.EntryHi, c.Compare, c.Status, c.IntCtl, c.Cause, c.EPC, c.EBase, c.Config, c.LLAddr, c.ErrorEPC])
        {
            w.U32(v);
        }

        w.I32(c.TlbSize);
    }

    private static Cp0State ReadCp0(ref StateReader r) => new()
    {
        Index = r.U32(), Random = r.U32(), EntryLo0 = r.U32(), EntryLo1 = r.U32(), Context = r.U32(), PageMask = r.U32(),
        Wired = r.U32(), HWREna = r.U32(), BadVAddr = r.U32(), Count = r.U32(), EntryHi = r.U32(), Compare = r.U32(),
        Status = r.U32(), IntCtl = r.U32(), Cause = r.U32(), EPC = r.U32(), EBase = r.U32(), Config = r.U32(),
        LLAddr = r.U32(), ErrorEPC = r.U32(), TlbSize = r.I32(),
    };

    private static void WriteException(StateWriter w, in GuestException e)
    {
        w.Byte((byte)e.Code);
        w.U32(e.Pc);
        w.Bool(e.InDelaySlot);
        w.U32(e.BadVAddr);
        w.U32(e.Instruction);
        w.Byte(e.CoprocessorUnit);
        w.Bool(e.IsTlbRefill);
    }

    private static GuestException ReadException(ref StateReader r) =>
        new((ExcCode)r.Byte(), r.U32(), r.Bool(), r.U32(), r.U32(), r.Byte(), r.Bool());

    private static void Longs(StateWriter w, ReadOnlySpan<long> values)
    {
        w.I32(values.Length);
        foreach (long v in values)
        {
            w.I64(v);
        }
    }

    private static long[] Longs(ref StateReader r)
    {
        var values = new long[r.Count(8)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = r.I64();
        }

        return values;
    }
}
