using System.Collections.Immutable;
using ActorVmm.Actors;
using ActorVmm.Cpu;
using ActorVmm.Memory;
using ActorVmm.Monitor;
using Akka.Actor;

namespace ActorVmm.Benchmarks;

/// <summary>The messages the serialization benchmark measures, as the monitor sends them.</summary>
public static class SerializationSamples
{
    public const string Trap = "Trap (MTC0)";
    public const string Decided = "Decided (TLBWR)";
    public const string RunEpoch = "RunEpoch (8 vCPUs)";
    public const string ImportPages = "ImportPages (64 KB)";

    public static readonly string[] Names = [Trap, Decided, RunEpoch, ImportPages];

    public static object Build(string name, ActorSystem system) => name switch
    {
        Trap => new TrapRouterProtocol.Trap(new VcpuKey(3, 0), 1, new TrapRequest(
            TrapKind.Exception,
            new GuestException(ExcCode.CpU, 0x80012344, false, 0, 0x40826000, CoprocessorUnit: 0),
            GuestCp0(),
            0x0000FF01,
            ImmutableArray<TlbEntry>.Empty,
            null,
            ImmutableArray<GuestPageMapping>.Empty)),
        Decided => new TrapRouterProtocol.Decided(
            new Emulated(PrivilegedOp.Tlbwr, GuestCp0(), 0, 0, new VirtualTlbWrite(17, new TlbEntry(0x00403000 | 5, 0, 0x0000_4A5F, 0x0000_4A9F))),
            [new GuestPageMapping(new Ppn(0x129), GuestPageKind.Memory, new Mpn(0x1F05), Fresh: true),
             new GuestPageMapping(new Ppn(0x12A), GuestPageKind.Memory, new Mpn(0x1F06), Fresh: true)]),
        RunEpoch => new PhysicalCpuProtocol.RunEpoch(1_600_000, 10_000, [.. Enumerable.Range(0, 8).Select(i =>
            new VcpuAssignment(new VcpuSlot(new VcpuKey(i + 1, 0), VcpuRunState.Runnable, 0, i % 2, 93_000 + i), Vcpu(system, i)))]),
        ImportPages => new MemoryManagerProtocol.ImportPages(7, 16u << 20, 12, [.. Enumerable.Range(0, 16).Select(i =>
            new GuestPageImage(new Ppn((uint)(0x300 + i)), [.. Enumerable.Range(0, 4096).Select(b => (byte)(b * 7 + i))]))]),
        _ => throw new ArgumentException($"no sample message {name}", nameof(name)),
    };

    private static Cp0State GuestCp0()
    {
        var cp0 = Cp0State.Reset(64);
        cp0.Status = 0x0000FF09;
        cp0.EntryHi = 0x00403005;
        cp0.EntryLo0 = 0x00004A5F;
        cp0.EntryLo1 = 0x00004A9F;
        cp0.Count = 12_345_678;
        cp0.Compare = 12_400_000;
        cp0.EPC = 0x80012344;
        cp0.EBase = 0x80000000;
        cp0.Random = 41;
        cp0.Wired = 2;
        return cp0;
    }

    private static IActorRef Vcpu(ActorSystem system, int i)
    {
        string name = $"vcpu-{i}";
        var existing = system.ActorSelection($"/user/{name}").ResolveOne(TimeSpan.FromSeconds(1)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null).Result;
        return existing ?? system.ActorOf(Props.Create(() => new Idle()), name);
    }

    private sealed class Idle : UntypedActor
    {
        protected override void OnReceive(object message)
        {
        }
    }
}
