using ActorVmm.EndToEnd.Tests.Harness;

namespace ActorVmm.EndToEnd.Tests;

/// <summary>
/// guests/conformance/faults: one program per fault class (address errors, TLB misses,
/// overflow, traps, breakpoints, reserved instruction, coprocessor unusable, abort). exec
/// must end each with the status qemu-mipsel ends it with (128 + the host signal), after
/// the same stdout.
/// </summary>
[Collection(GuestsCollection.Name)]
public sealed class FaultDifferentialTests(GuestBuildFixture guests)
{
    private static readonly TimeSpan QemuTimeout = TimeSpan.FromSeconds(60);
    private const long InstructionLimit = 1_000_000_000;

    public static TheoryData<string> Programs() => ConformanceDifferentialTests.ProgramsUnder("faults/");

    [Theory]
    [MemberData(nameof(Programs))]
    public void Exec_dies_like_qemu(string program)
    {
        GuestToolchain.RequireTools();
        string elf = guests.ProgramPath(program);
        Assert.True(File.Exists(elf), $"the Makefile lists {program} but did not build {elf}");
        var result = GuestToolchain.Compare(elf, GuestToolchain.ArgumentsFor(program), QemuTimeout, InstructionLimit);
        Assert.True(result.Qemu.Status != 0, $"{program}: under qemu-mipsel it did not fault (status 0)");
        Assert.True(result.Same, $"{program}: exec differs from qemu-mipsel\n{result.Difference}");
    }
}
