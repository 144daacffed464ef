using ActorVmm.Cpu;
using ActorVmm.Memory;
using ActorVmm.Monitor.Tracing;
using Xunit;

namespace ActorVmm.Monitor.Tests;

/// <summary>
/// Every trace kind has a typed event that encodes into a record and decodes back to itself,
/// and the record describes itself in words; nothing reads or writes a detail by position.
/// </summary>
public sealed class TraceEventsTests
{
    [Fact]
    public void Every_kind_round_trips_through_a_record()
    {
        RoundTrip(new DispatchEvent(5_000_000_000, true));
        RoundTrip(new YieldEvent(YieldReason.Idle, 6_000_000_000));
        RoundTrip(new MachineSwitchEvent(3, 7));
        RoundTrip(new EpochStartEvent(1L << 40));
        RoundTrip(new TrapEvent(TrapKind.GuestTlb, ExcCode.TlbS, 0xAC820000, 0x7FFF0010, true, true, 0));
        RoundTrip(new TrapEvent(TrapKind.Exception, ExcCode.CpU, 0x46000000, 0, false, false, 1));
        RoundTrip(EmulateEvent.Cp0Access(PrivilegedOp.Mtc0, Cp0Register.EntryHi, 0x00400001));
        RoundTrip(EmulateEvent.TlbWrite(PrivilegedOp.Tlbwr, 40, 0x31, TraceRecord.NoPage));
        RoundTrip(new ReflectEvent(ExcCode.Sys, 0xC0001180, 0x00400120, true, false, 0));
        RoundTrip(new ReturnFromTrapEvent(PrivilegeMode.User, 0x00400124));
        RoundTrip(default(IdleEvent));
        RoundTrip(new DeviceEmulatedEvent(true, 0x108, 42));
        RoundTrip(HandlersRecordedEvent.Of(0xC0001800));
        RoundTrip(new TlbWriteInterceptedEvent(63, 0x00400005, 0x100, 0x2A0));
        RoundTrip(new MapRequestEvent(0x1F000, MapPurpose.L2TlbRefill));
        RoundTrip(new MapReplyEvent(0x100, GuestPageKind.Memory, 0x31, true));
        RoundTrip(new MemoryReleasedEvent(4096));
        RoundTrip(new L2TlbRefillEvent(0x00400120, 0x31));
        RoundTrip(new ResumedEvent(0x00400124));
        RoundTrip(new VmStartedEvent(0xC0001000));
        RoundTrip(new ConsoleOutputEvent(81));
        RoundTrip(new VmPoweredOffEvent(-3));
        RoundTrip(default(VmCrashedEvent));
    }

    [Fact]
    public void Each_kind_has_exactly_one_event_type_and_the_registry_decodes_it_with_that_type()
    {
        var eventTypes = typeof(TraceEvents).Assembly.GetTypes()
            .Where(t => t.IsValueType && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITraceEvent<>)))
            .ToList();
        var kinds = eventTypes.Select(t => (TraceKind)t.GetProperty("Kind")!.GetValue(null)!).ToList();

        Assert.Equal(Enum.GetValues<TraceKind>().OrderBy(k => k), kinds.OrderBy(k => k));
        foreach (var type in eventTypes)
        {
            var check = typeof(TraceEventsTests).GetMethod(nameof(DescribedByItsType), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
            check.MakeGenericMethod(type).Invoke(null, null);
        }
    }

    private static void DescribedByItsType<T>()
        where T : struct, ITraceEvent<T>
    {
        var r = Encode(default(T));
        Assert.Equal(default(T).Describe(), TraceEvents.Describe(r));
    }

    [Fact]
    public void Reading_a_record_as_another_kind_is_refused()
    {
        var r = Encode(new ResumedEvent(4));

        Assert.Throws<InvalidOperationException>(() => TraceEvents.As<TrapEvent>(r));
        Assert.False(TraceEvents.Is<TrapEvent>(r, out _));
    }

    [Fact]
    public void A_trap_names_itself_as_the_report_does()
    {
        Assert.Equal("tlbwr", new TrapEvent(TrapKind.Exception, ExcCode.CpU, 0x42000006, 0, false, false, 0).Name);
        Assert.Equal("TLB miss", new TrapEvent(TrapKind.GuestTlb, ExcCode.TlbL, 0, 0x1000, false, true, 0).Name);
        Assert.Equal("syscall", new TrapEvent(TrapKind.Exception, ExcCode.Sys, 0x0000000C, 0, false, false, 0).Name);
    }

    private static void RoundTrip<T>(T e)
        where T : struct, ITraceEvent<T>
    {
        var r = Encode(e);
        Assert.Equal(T.Kind, r.Kind);
        Assert.Equal(e, TraceEvents.As<T>(r));
        Assert.False(string.IsNullOrWhiteSpace(TraceEvents.Describe(r)));
    }

    private static TraceRecord Encode<T>(T e)
        where T : struct, ITraceEvent<T>
    {
        var r = new TraceRecord { Kind = T.Kind };
        e.Encode(ref r);
        return r;
    }
}
