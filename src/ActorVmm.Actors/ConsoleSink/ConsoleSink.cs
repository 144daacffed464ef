using System.Collections.Immutable;
using System.Text;
using Akka.Actor;
using static ActorVmm.Actors.ConsoleSinkProtocol;

namespace ActorVmm.Actors;

/// <summary>
/// Where VM consoles are delivered: on the node that runs the scenario, whatever node a VM runs
/// on. Bytes are taken by stream offset, so a chunk sent twice (a retry, a VM re-executing
/// after it moved) is shown once; complete lines go to the <see cref="IConsoleOutput"/> as
/// they arrive, labelled with the VM (and, in a cluster, the node it ran on).
/// </summary>
public sealed class ConsoleSink(IConsoleOutput output, bool labelNodes) : UntypedActor, IWithTimers
{
    private static readonly TimeSpan ClosingGrace = TimeSpan.FromSeconds(10);
    private readonly Dictionary<int, VmConsole> _vms = new();
    private readonly List<(IActorRef Asker, ImmutableArray<int> Vms)> _waiting = new();

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ConsoleOpened opened:
                Of(opened.Vm).Name = opened.Name;
                break;
            case ConsoleOutput o:
                Deliver(o);
                break;
            case ConsoleClosed closed:
            {
                var vm = Of(closed.Vm);
                vm.ClosedAt = closed.Length;
                FlushIfComplete(closed.Vm, vm);
                AnswerWaiting(force: false);
                break;
            }

            case GetConsoles ask:
                _waiting.Add((Sender, ask.Vms));
                AnswerWaiting(force: false);
                if (_waiting.Count > 0)
                {
                    // A VM whose last bytes never come (its node died) must not hold the run's result forever.
                    Timers.StartSingleTimer(GraceOver.Instance, GraceOver.Instance, ClosingGrace);
                }

                break;
            case GraceOver:
                AnswerWaiting(force: true);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private VmConsole Of(int vm) => _vms.TryGetValue(vm, out var c) ? c : _vms[vm] = new VmConsole($"vm{vm}");

    private void Deliver(ConsoleOutput o)
    {
        var vm = Of(o.Vm);
        long skip = vm.Bytes.Length - o.Offset;
        if (skip < 0)
        {
            // A gap cannot happen between one sender and this sink (Akka keeps their order);
            // the bytes are kept anyway rather than lost.
            skip = 0;
        }

        var bytes = o.Bytes.AsSpan();
        if (skip >= bytes.Length)
        {
            return;
        }

        bytes = bytes[(int)skip..];
        vm.Bytes.Write(bytes);
        vm.Node = o.Node;
        foreach (byte b in bytes)
        {
            if (b == (byte)'\n')
            {
                Show(vm);
            }
            else
            {
                vm.Line.WriteByte(b);
            }
        }

        FlushIfComplete(o.Vm, vm);
        AnswerWaiting(force: false);
    }

    private void FlushIfComplete(int id, VmConsole vm)
    {
        if (vm.ClosedAt is { } length && vm.Bytes.Length >= length && vm.Line.Length > 0)
        {
            Show(vm);
        }
    }

    private void Show(VmConsole vm)
    {
        string label = labelNodes && vm.Node is not null ? $"{vm.Name}@{vm.Node}" : vm.Name;
        output.Line(label, vm.Line.GetBuffer().AsSpan(0, (int)vm.Line.Length));
        vm.Line.SetLength(0);
    }

    private void AnswerWaiting(bool force)
    {
        for (int i = _waiting.Count - 1; i >= 0; i--)
        {
            var (asker, vms) = _waiting[i];
            if (!force && !vms.All(v => _vms.TryGetValue(v, out var c) && c.ClosedAt is { } at && c.Bytes.Length >= at))
            {
                continue;
            }

            var consoles = vms.ToImmutableDictionary(v => v, v => _vms.TryGetValue(v, out var c)
                ? Encoding.Latin1.GetString(c.Bytes.GetBuffer(), 0, (int)c.Bytes.Length)
                : "");
            asker.Tell(new Consoles(consoles));
            _waiting.RemoveAt(i);
        }
    }

    private sealed class VmConsole(string name)
    {
        public string Name { get; set; } = name;

        public string? Node { get; set; }

        public MemoryStream Bytes { get; } = new();

        public MemoryStream Line { get; } = new();

        public long? ClosedAt { get; set; }
    }

    private sealed class GraceOver
    {
        public static readonly GraceOver Instance = new();
    }
}
