using ActorVmm.Cpu.Board;
using ActorVmm.Cpu.Elf;
using ActorVmm.Memory;
using ActorVmm.Monitor;
using Xunit;
using Xunit.Abstractions;

namespace ActorVmm.EndToEnd.Tests.Monitor;

/// <summary>
/// Incremental checkpoints from dirty tracking: after the first (full) checkpoint only the
/// pages the guest wrote are taken, yet each checkpoint's manifest names every page with the
/// id of its actual bytes (a missed write would show as a page whose id is stale), and a VM
/// restored from any checkpoint of the chain, from a content-addressed store that holds each
/// distinct page once, finishes as the uninterrupted run did.
/// </summary>
public sealed class IncrementalCheckpointTests(MonitorGuestsFixture guests, ITestOutputHelper output) : IClassFixture<MonitorGuestsFixture>
{
    public static TheoryData<string, int> Workloads => VmStateRoundTripTests.Workloads;

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Every_incremental_checkpoint_names_every_page_rightly_and_restores_to_the_same_end(string cmdline, int seed)
    {
        var config = new BootConfiguration(BootConfiguration.DefaultMemorySize, cmdline);
        var kernel = ElfImage.Parse(guests.Kernel.KernelBytes, "kernel.elf");
        var whole = new ConsoleBytes();
        VcpuStatistics reference;
        using (var uninterrupted = new SynchronousMonitor(kernel, config, whole))
        {
            Assert.Equal(MachineOutcome.PowerOff(0), uninterrupted.Run());
            reference = uninterrupted.Statistics();
        }

        var random = new Random(seed);
        var points = Enumerable.Range(0, 6).Select(_ => 1 + (long)(random.NextDouble() * (reference.ConsumedCycles - 1))).Order().ToList();
        var store = new Dictionary<PageId, byte[]>();
        var chain = new List<(VmState State, PageManifest Manifest)>();
        var manifest = PageManifest.Empty;
        int taken = 0, stored = 0;
        using (var vm = new SynchronousMonitor(kernel, config, new ConsoleBytes()))
        {
            foreach (long at in points)
            {
                if (vm.RunUntil(at) is not null)
                {
                    break;
                }

                var capture = vm.CaptureCheckpoint();
                Assert.Equal(chain.Count == 0, capture.Full);
                var pages = CheckpointPages.Of(capture, manifest, store.ContainsKey);
                foreach (var page in pages.New)
                {
                    store.Add(page.Id, [.. page.Bytes]);
                }

                manifest = pages.Manifest;
                taken += capture.Pages.Count;
                stored += pages.New.Length;

                // The incremental manifest is exactly the VM's memory, page for page; a page it
                // does not name was given to the VM since and never written: zero, as it will be
                // when a restored VM first touches it.
                var actual = vm.Capture().Pages;
                var named = manifest.Entries.ToDictionary(e => e.Ppn, e => e.Id);
                Assert.Equal(named.Keys.OrderBy(p => p.Value), actual.Select(p => p.Ppn).Where(named.ContainsKey));
                Assert.All(actual, p => Assert.Equal(named.GetValueOrDefault(p.Ppn, Zero), PageId.Of(p.Bytes.AsSpan())));
                chain.Add((capture.State, manifest));
            }
        }

        output.WriteLine($"{cmdline}: {chain.Count} checkpoints, {taken} pages taken ({chain[0].Manifest.Count} in the full one), {stored} stored");
        Assert.True(chain.Count >= 2);

        foreach (int i in new[] { random.Next(1, chain.Count), 0 })
        {
            var (state, pages) = chain[i];
            var console = new ConsoleBytes();
            console.Append(whole.Bytes.AsSpan(0, (int)state.Router.ConsoleOffset));
            var images = pages.Entries.Select(e => new GuestPageImage(e.Ppn, [.. store[e.Id]]));
            using var restored = SynchronousMonitor.Restore(VmStateCodec.Decode(VmStateCodec.Encode(state)), images, config, console);
            Assert.Equal(MachineOutcome.PowerOff(0), restored.Run());
            Assert.Equal(whole.Text, console.Text);
            Assert.Equal(reference.GuestInstructions, restored.Statistics().GuestInstructions);
            Assert.Equal(reference.Traps, restored.Statistics().Traps);
        }
    }

    private static readonly PageId Zero = PageId.Of(new byte[MachinePage.Size]);

    private sealed class ConsoleBytes : IConsoleSink
    {
        private readonly MemoryStream _bytes = new();

        public byte[] Bytes => _bytes.ToArray();

        public string Text => System.Text.Encoding.Latin1.GetString(_bytes.ToArray());

        public void Append(ReadOnlySpan<byte> bytes) => _bytes.Write(bytes);

        public void Write(byte value) => _bytes.WriteByte(value);
    }
}
