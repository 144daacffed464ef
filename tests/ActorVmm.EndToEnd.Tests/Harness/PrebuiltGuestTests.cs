using Xunit;

namespace ActorVmm.EndToEnd.Tests.Harness;

/// <summary>
/// The committed guests/bin programs (what the README's main command runs without a cross
/// compiler) must be exactly what the sources build: the tests run fresh builds, so a stale
/// prebuilt would otherwise go unnoticed.
/// </summary>
[Collection(GuestsCollection.Name)]
public sealed class PrebuiltGuestTests(GuestBuildFixture build)
{
    [Theory]
    [InlineData("hello")]
    [InlineData("crc32")]
    public void The_committed_prebuilt_program_is_byte_identical_to_a_fresh_build(string name)
    {
        byte[] committed = File.ReadAllBytes(Path.Combine(RepoRoot.Guests, "bin", $"{name}.elf"));
        byte[] fresh = File.ReadAllBytes(build.ProgramPath($"conformance/{name}-O2.elf"));
        Assert.True(committed.AsSpan().SequenceEqual(fresh),
            $"guests/bin/{name}.elf differs from a fresh build ({committed.Length} vs {fresh.Length} bytes): run `make -C guests prebuilt` and commit it");
    }
}
