using ActorVmm.Actors.Tests.Support;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;
using static ActorVmm.Actors.ConsoleSinkProtocol;

namespace ActorVmm.Actors.Tests;

/// <summary>
/// The ConsoleSink's protocol: each console byte is shown once by its offset whatever is sent
/// twice, complete lines go out as they arrive (a VM's last unterminated line when it closes),
/// labelled with the VM and, in a cluster, the node; the whole consoles are answered once every
/// VM asked about has closed.
/// </summary>
public sealed class ConsoleSinkSpec(ITestOutputHelper output) : NodeSpec(1u << 20, output)
{
    private readonly CapturingConsole _lines = new();

    [Fact]
    public void Repeated_and_overlapping_chunks_are_shown_once_and_lines_are_whole()
    {
        var sink = Sink(labelNodes: false);
        sink.Tell(new ConsoleOpened(1, "alpha"));

        sink.Tell(new ConsoleOutput(1, "n0", 0, [.. "hel"u8]));
        sink.Tell(new ConsoleOutput(1, "n0", 0, [.. "hel"u8]));        // sent again
        sink.Tell(new ConsoleOutput(1, "n0", 2, [.. "llo\nwo"u8]));    // overlaps by one byte
        sink.Tell(new ConsoleOutput(1, "n0", 8, [.. "rld"u8]));
        sink.Tell(new ConsoleClosed(1, 11));

        Assert.Equal("hello\nworld", Consoles(sink, 1)[1]);
        Assert.Equal([("alpha", "hello"), ("alpha", "world")], _lines.Lines);
    }

    [Fact]
    public void In_a_cluster_each_line_names_the_node_the_vm_ran_on()
    {
        var sink = Sink(labelNodes: true);
        sink.Tell(new ConsoleOpened(2, "beta"));
        sink.Tell(new ConsoleOutput(2, "node1", 0, [.. "one\n"u8]));
        sink.Tell(new ConsoleOutput(2, "node2", 4, [.. "two\n"u8]));    // after a migration
        sink.Tell(new ConsoleClosed(2, 8));

        Consoles(sink, 2);
        Assert.Equal([("beta@node1", "one"), ("beta@node2", "two")], _lines.Lines);
    }

    [Fact]
    public void Consoles_are_answered_only_once_every_vm_asked_about_has_closed_with_all_its_bytes()
    {
        var sink = Sink(labelNodes: false);
        sink.Tell(new ConsoleOpened(1, "a"));
        sink.Tell(new ConsoleOpened(2, "b"));
        sink.Tell(new ConsoleClosed(2, 0));
        sink.Tell(new ConsoleClosed(1, 3)); // closed, but its bytes are still on their way

        sink.Tell(new GetConsoles([1, 2]));
        ExpectNoMsg(Quiet);

        sink.Tell(new ConsoleOutput(1, "n0", 0, [.. "ok\n"u8]));
        var consoles = ExpectMsg<Consoles>();
        Assert.Equal(("ok\n", ""), (consoles.ByVm[1], consoles.ByVm[2]));
    }

    [Fact]
    public void Bytes_above_0x7F_reach_the_output_unchanged()
    {
        var sink = Sink(labelNodes: false);
        sink.Tell(new ConsoleOpened(1, "a"));
        sink.Tell(new ConsoleOutput(1, "n0", 0, [0xE9, 0xFF, 0x0A]));
        sink.Tell(new ConsoleClosed(1, 3));

        Assert.Equal("\u00e9\u00ff\n", Consoles(sink, 1)[1]);
        Assert.Equal([("a", "\u00e9\u00ff")], _lines.Lines);
    }

    private IActorRef Sink(bool labelNodes)
    {
        var lines = _lines;
        return Sys.ActorOf(Props.Create(() => new ConsoleSink(lines, labelNodes)));
    }

    private IReadOnlyDictionary<int, string> Consoles(IActorRef sink, params int[] vms)
    {
        sink.Tell(new GetConsoles([.. vms]));
        return ExpectMsg<Consoles>().ByVm;
    }
}
