using ActorVmm.EndToEnd.Tests.Harness;

namespace ActorVmm.EndToEnd.Tests;

/// <summary>
/// Every program guests/Makefile builds (each C program at -O0, -O2 and -Os, and the
/// hand-written asm ones) prints the same bytes and exits with the same status under
/// exec as under qemu-mipsel.
/// </summary>
[Collection(GuestsCollection.Name)]
public sealed class ConformanceDifferentialTests(GuestBuildFixture guests)
{
    private static readonly TimeSpan QemuTimeout = TimeSpan.FromSeconds(120);
    private const long InstructionLimit = 20_000_000_000;

    public static TheoryData<string> Programs() => ProgramsUnder("conformance/");

    internal static TheoryData<string> ProgramsUnder(string prefix)
    {
        var data = new TheoryData<string>();
        IReadOnlyList<string> programs;
        try
        {
            programs = GuestToolchain.ListPrograms();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // make itself is missing: one row that fails with the toolchain message.
            data.Add("(make list failed)");
            return data;
        }

        foreach (string p in programs.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)))
        {
            data.Add(p);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Exec_matches_qemu(string program)
    {
        GuestToolchain.RequireTools();
        string elf = guests.ProgramPath(program);
        Assert.True(File.Exists(elf), $"the Makefile lists {program} but did not build {elf}");
        var result = GuestToolchain.Compare(elf, GuestToolchain.ArgumentsFor(program), QemuTimeout, InstructionLimit, compareStderr: true);
        Assert.True(result.Same, $"{program}: exec differs from qemu-mipsel\n{result.Difference}");
    }

    [Fact]
    public void Makefile_builds_conformance_programs_at_every_level_and_asm()
    {
        GuestToolchain.RequireTools();
        var programs = GuestToolchain.ListPrograms();
        Assert.Contains("conformance/hello-O0.elf", programs);
        Assert.Contains("conformance/hello-O2.elf", programs);
        Assert.Contains("conformance/hello-Os.elf", programs);
        Assert.Contains(programs, p => p.StartsWith("conformance/asm/", StringComparison.Ordinal));
        foreach (string p in programs)
        {
            Assert.True(File.Exists(guests.ProgramPath(p)), $"{p} listed but not built");
        }
    }
}
