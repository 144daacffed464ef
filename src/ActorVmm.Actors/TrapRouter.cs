using System.Collections.Immutable;
using System.Text;
using ActorVmm.Actors.Protocol;
using ActorVmm.Actors.Tracing;
using ActorVmm.Cpu;
using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Virtualization;
using ActorVmm.Memory;
using Akka.Actor;
using static ActorVmm.Actors.Protocol.TrapRouterProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// The monitor's trap handler for one VM. Emulates privileged instructions on the vCPU's
/// virtual CP0, reflects guest exceptions to the vectors the guest installed through EBase,
/// performs the guest's ERET, intercepts TLB writes (asking the memory manager for the
/// machine pages), and emulates the device page, whose console bytes go to the GuestVm.
/// The decisions themselves are <see cref="TrapEmulator"/>'s.
/// </summary>
public sealed class TrapRouter : ReceiveActor
{
    private readonly int _vm;
    private readonly IActorRef _memoryManager;
    private readonly IActorRef _guestVm;
    private readonly TraceRecorder _trace;
    private readonly DeviceRegisters _devices;
    private readonly ConsoleBuffer _console;
    private readonly Dictionary<long, (IActorRef Vcpu, Trap Trap, Emulated Decision, ImmutableArray<GuestPageMapping> Known)> _pendingTlbWrites = new();
    private readonly IActorRef _self;
    private long _nextCorrelation;
    private uint _recordedEBase = uint.MaxValue;

    public TrapRouter(int vm, uint memoryBytes, IActorRef memoryManager, IActorRef guestVm)
    {
        _vm = vm;
        _memoryManager = memoryManager;
        _guestVm = guestVm;
        _trace = MonitorNode.Get(Context.System).Trace;
        _console = new ConsoleBuffer(vm, guestVm, _trace);
        _devices = new DeviceRegisters(memoryBytes, 1, _console);
        _self = Self; // an explicit sender spares a thread-static lookup per reply

        Receive<Trap>(OnTrap);
        Receive<MemoryManagerProtocol.PagesTranslated>(OnPagesTranslated);
    }

    private void OnTrap(Trap trap)
    {
        var request = trap.Request;
        uint pc = request.Exception.Pc;
        if (request.Kind == TrapKind.DeviceAccess)
        {
            var access = request.Device!;
            var done = DeviceEmulation.Perform(_devices, access);
            _trace.Record(TraceKind.DeviceEmulated, _vm, trap.Vcpu.Vcpu, trap.Pcpu, pc, access.Instruction.IsStore ? (ushort)1 : (ushort)0,
                access.Offset, access.Instruction.IsStore ? access.StoreValue : done.GprValue);
            if (done.PoweredOff)
            {
                _console.Flush();
                _guestVm.Tell(new GuestVmProtocol.PoweredOff(_vm, done.ExitStatus));
            }

            Sender.Tell(new Decided(done, ImmutableArray<GuestPageMapping>.Empty), _self);
            return;
        }

        var decision = TrapEmulator.Decide(request);
        if (decision is Emulated { TlbWrite: { } write } emulated)
        {
            var pages = TlbWriteTranslation.PagesOf(write.Entry);
            if (_trace.Enabled)
            {
                _trace.Record(TraceKind.TlbWriteIntercepted, _vm, trap.Vcpu.Vcpu, trap.Pcpu, pc, (ushort)write.Index,
                    write.Entry.EntryHi, PageOf(write.Entry, 0), PageOf(write.Entry, 1));
            }

            var known = request.KnownPages.IsDefault ? ImmutableArray<GuestPageMapping>.Empty : request.KnownPages;
            var unknown = Unknown(pages, known);
            if (unknown.Length > 0)
            {
                long correlation = ++_nextCorrelation;
                _pendingTlbWrites[correlation] = (Sender, trap, emulated, known);
                foreach (var ppn in unknown)
                {
                    _trace.Record(TraceKind.MapRequest, _vm, trap.Vcpu.Vcpu, trap.Pcpu, pc, 0, ppn.Value);
                }

                _memoryManager.Tell(new MemoryManagerProtocol.TranslatePages(_vm, unknown, correlation, MapPurpose.TlbWrite));
                return; // the decision goes out, and is recorded, once the machine pages are known
            }

            // Every page was answered before: VPN->PPN becomes VPN->MPN from those answers.
            Record(trap, decision, known);
            Sender.Tell(new Decided(decision, known), _self);
            return;
        }

        Record(trap, decision);
        Sender.Tell(new Decided(decision, ImmutableArray<GuestPageMapping>.Empty), _self);
    }

    private void OnPagesTranslated(MemoryManagerProtocol.PagesTranslated reply)
    {
        if (_pendingTlbWrites.Remove(reply.Correlation, out var pending))
        {
            var mappings = pending.Known.AddRange(reply.Mappings);
            Record(pending.Trap, pending.Decision, mappings);
            pending.Vcpu.Tell(new Decided(pending.Decision, mappings), _self);
        }
    }

    /// <summary>The decision as the trace records it, and the guest's handlers when it installs them.</summary>
    private void Record(Trap trap, TrapDecision decision, ImmutableArray<GuestPageMapping> mappings = default)
    {
        if (!_trace.Enabled)
        {
            return;
        }

        var e = trap.Request.Exception;
        int vcpu = trap.Vcpu.Vcpu;
        switch (decision)
        {
            case Emulated em:
            {
                uint insn = e.Instruction;
                uint reg = ((insn >> 8) & 0xF8) | (insn & 7);
                if (em.TlbWrite is { } w)
                {
                    // A TLB write's record carries the machine pages of its even and odd halves.
                    _trace.Record(TraceKind.Emulate, _vm, vcpu, trap.Pcpu, e.Pc, (ushort)em.Op, (uint)w.Index,
                        MachinePageOf(w.Entry, 0, mappings), MachinePageOf(w.Entry, 1, mappings));
                    break;
                }

                uint value = em.Op == EmulatedOp.Mtc0 ? trap.Request.RtValue : em.GprValue;
                _trace.Record(TraceKind.Emulate, _vm, vcpu, trap.Pcpu, e.Pc, (ushort)em.Op, reg, value);
                if (em.Op == EmulatedOp.Mtc0 && (int)reg == Cp0Register.EBase && em.Cp0.EBase != _recordedEBase)
                {
                    _recordedEBase = em.Cp0.EBase;
                    uint vectorBase = em.Cp0.EBase & 0xFFFFF000;
                    _trace.Record(TraceKind.HandlersRecorded, _vm, vcpu, trap.Pcpu, e.Pc, 0, em.Cp0.EBase, vectorBase, vectorBase + 0x180);
                }

                break;
            }

            case Reflected r:
                _trace.Record(TraceKind.Reflect, _vm, vcpu, trap.Pcpu, e.Pc, (ushort)r.Exception.Code, r.Vector, r.Cp0.EPC, TraceFormat.TrapFlags(r.Exception));
                break;
            case Returned ret:
                _trace.Record(TraceKind.ReturnFromTrap, _vm, vcpu, trap.Pcpu, e.Pc, (ushort)ret.Cp0.Mode, ret.Target);
                break;
            case Idled:
                _trace.Record(TraceKind.Idle, _vm, vcpu, trap.Pcpu, e.Pc);
                break;
        }
    }

    private static ImmutableArray<Ppn> Unknown(IReadOnlyList<Ppn> pages, ImmutableArray<GuestPageMapping> known)
    {
        if (pages.Count == known.Length)
        {
            return ImmutableArray<Ppn>.Empty; // the vCPU knew them all (it only sends pages of this entry)
        }

        var unknown = ImmutableArray.CreateBuilder<Ppn>(pages.Count);
        foreach (var ppn in pages)
        {
            bool seen = false;
            foreach (var k in known)
            {
                seen |= k.Ppn == ppn;
            }

            if (!seen)
            {
                unknown.Add(ppn);
            }
        }

        return unknown.ToImmutable();
    }

    private static uint MachinePageOf(in TlbEntry entry, int half, ImmutableArray<GuestPageMapping> mappings)
    {
        uint ppn = PageOf(entry, half);
        if (ppn == TraceFormat.NoPage || mappings.IsDefaultOrEmpty)
        {
            return TraceFormat.NoPage;
        }

        foreach (var m in mappings)
        {
            if (m.Ppn.Value == ppn && m.IsMemory)
            {
                return m.Mpn.Value;
            }
        }

        return TraceFormat.NoPage;
    }

    private static uint PageOf(in TlbEntry entry, int half)
    {
        uint lo = half == 0 ? entry.EntryLo0 : entry.EntryLo1;
        uint va = entry.VirtualBase + (half == 0 ? 0 : entry.PageSize);
        return (lo & EntryLoBits.V) != 0 ? (uint)(entry.PhysicalAddress(va, lo) >> MachinePage.Shift) : TraceFormat.NoPage;
    }

    /// <summary>Console bytes, sent to the GuestVm a line at a time.</summary>
    private sealed class ConsoleBuffer(int vm, IActorRef guestVm, TraceRecorder trace) : IConsoleSink
    {
        private readonly List<byte> _bytes = new();

        public void Write(byte value)
        {
            _bytes.Add(value);
            if (value == (byte)'\n' || _bytes.Count >= 4096)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_bytes.Count == 0)
            {
                return;
            }

            trace.Record(TraceKind.ConsoleOutput, vm, 0, 0, 0, 0, (uint)_bytes.Count);
            guestVm.Tell(new GuestVmProtocol.ConsoleOutput(vm, Encoding.Latin1.GetString(_bytes.ToArray())));
            _bytes.Clear();
        }
    }
}
