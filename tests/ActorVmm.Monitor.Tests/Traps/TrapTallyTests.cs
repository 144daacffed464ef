using System.Collections.Immutable;
using ActorVmm.Cpu;
using ActorVmm.Monitor;
using Xunit;

namespace ActorVmm.Monitor.Tests;

/// <summary>
/// A vCPU counts its traps by integer key and names them only for the report: every
/// privileged instruction gets its own mnemonic, refills and invalid-entry faults stay apart,
/// and encodings that differ only in operands (MFC0 of two registers) count as one.
/// </summary>
public sealed class TrapTallyTests
{
    [Fact]
    public void Names_each_kind_of_trap_as_the_report_does()
    {
        var tally = new TrapTally();
        Cop0(tally, 0x40026000);           // mfc0 v0, Status
        Cop0(tally, 0x40027000);           // mfc0 v0, EPC: another register, same mnemonic
        Cop0(tally, 0x40826000);           // mtc0 v0, Status
        Cop0(tally, 0x42000006);           // tlbwr
        Cop0(tally, 0x42000002);           // tlbwi
        Cop0(tally, 0x42000008);           // tlbp
        Cop0(tally, 0x42000001);           // tlbr
        Cop0(tally, 0x42000018);           // eret
        Cop0(tally, 0x42000020);           // wait
        Cop0(tally, 0x41606000);           // di
        Cop0(tally, 0x41606020);           // ei
        Cop0(tally, 0xBC800000);           // cache
        tally.Count(Request(TrapKind.GuestTlb, new GuestException(ExcCode.TlbL, 0x400100, false, 0x7FFF0000, 0x8C820000, IsTlbRefill: true)));
        tally.Count(Request(TrapKind.GuestTlb, new GuestException(ExcCode.TlbS, 0x400100, false, 0x7FFF0000, 0xAC820000, IsTlbRefill: true)));
        tally.Count(Request(TrapKind.GuestTlb, new GuestException(ExcCode.TlbS, 0x400104, false, 0x10000000, 0xAC820000)));
        tally.Count(Request(TrapKind.Interrupt, new GuestException(ExcCode.Int, 0x400108, false, 0, 0)));
        tally.Count(Request(TrapKind.DeviceAccess, new GuestException(ExcCode.TlbS, 0xC0001000, false, 0xDF000000, 0xAC820000)));
        tally.Count(Request(TrapKind.Exception, new GuestException(ExcCode.Sys, 0x40010C, false, 0, 0x0000000C)));
        tally.Count(Request(TrapKind.Exception, new GuestException(ExcCode.Sys, 0x400110, false, 0, 0x0000000C)));
        tally.Count(Request(TrapKind.Exception, new GuestException(ExcCode.AdEL, 0x400114, false, 0x3, 0x8C820003)));
        tally.Count(Request(TrapKind.Exception, new GuestException(ExcCode.CpU, 0x400118, false, 0, 0x46000000, CoprocessorUnit: 1)));

        var expected = new Dictionary<string, long>
        {
            ["mfc0"] = 2, ["mtc0"] = 1, ["tlbwr"] = 1, ["tlbwi"] = 1, ["tlbp"] = 1, ["tlbr"] = 1, ["eret"] = 1, ["wait"] = 1,
            ["di"] = 1, ["ei"] = 1, ["cache"] = 1,
            ["TLB miss"] = 2, ["TLB invalid (store)"] = 1, ["interrupt"] = 1, ["device access"] = 1, ["syscall"] = 2,
            ["address error (load/fetch)"] = 1, [GuestException.Describe(ExcCode.CpU)] = 1,
        };
        Assert.Equal(expected.OrderBy(kv => kv.Key), tally.ByName().OrderBy(kv => kv.Key));
    }

    private static void Cop0(TrapTally tally, uint instruction) =>
        tally.Count(Request(TrapKind.Exception, new GuestException(ExcCode.CpU, 0xC0000100, false, 0, instruction)));

    private static TrapRequest Request(TrapKind kind, GuestException e) =>
        new(kind, e, Cp0State.Reset(64), 0, ImmutableArray<TlbEntry>.Empty);
}
