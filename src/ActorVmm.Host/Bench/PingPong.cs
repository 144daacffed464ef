using System.Diagnostics;
using System.Reflection;
using ActorVmm.Actors;
using Akka.Actor;
using Akka.Configuration;

namespace ActorVmm.Host.Bench;

/// <summary>
/// The raw cost of an Akka request/reply: two actors exchanging small immutable messages
/// (Tell a request, Tell the reply back to the Sender), one exchange in flight at a time,
/// as a vCPU and its trap router do. Measured in an actor system configured exactly as
/// <see cref="MonitorRun"/> configures its own.
/// </summary>
public static class PingPong
{
    /// <summary>The request. <paramref name="Payload"/> lets a run send a message as big as a monitor's Trap.</summary>
    public sealed record Ping(long Sequence, object? Payload);

    public sealed record Pong(long Sequence, object? Payload);

    /// <summary>
    /// Round trips per second over <paramref name="roundTrips"/> exchanges, best of
    /// <paramref name="repeat"/> after one warm-up run. <paramref name="request"/> and
    /// <paramref name="reply"/>, when given, make a new payload for every ping and pong
    /// (allocation included), e.g. a monitor's Trap and Decided. <paramref name="dispatcher"/>,
    /// when given, puts both actors on that dispatcher, as a VM's vCPU and router share one.
    /// </summary>
    public static Measurement Measure(long roundTrips, int repeat, Func<long, object>? request = null, Func<long, object>? reply = null, string? configOverride = null, string? dispatcher = null)
    {
        // The configuration MonitorRun creates its actor system with, so the two cannot drift apart.
        var config = ConfigurationFactory.ParseString(configOverride ?? "").WithFallback(MonitorRun.AkkaSettings.Config);
        var system = ActorSystem.Create("pingpong", config);
        try
        {
            var best = TimeSpan.MaxValue;
            for (int i = 0; i <= repeat; i++)
            {
                var elapsed = RunOnce(system, i == 0 ? Math.Min(roundTrips, 200_000) : roundTrips, request, reply, i, dispatcher);
                if (i > 0 && elapsed < best)
                {
                    best = elapsed; // run 0 is the warm-up
                }
            }

            string path = dispatcher ?? "akka.actor.default-dispatcher";
            return new Measurement(roundTrips, best, system.Settings.Config.GetInt($"{path}.throughput"),
                system.Settings.Config.GetString($"{path}.executor"), dispatcher ?? "default-dispatcher");
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    private static TimeSpan RunOnce(ActorSystem system, long roundTrips, Func<long, object>? request, Func<long, object>? reply, int run, string? dispatcher)
    {
        var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        Props On(Props props) => dispatcher is null ? props : props.WithDispatcher(dispatcher);
        var ponger = system.ActorOf(On(Props.Create(() => new Ponger(reply))), $"ponger{run}");
        var pinger = system.ActorOf(On(Props.Create(() => new Pinger(ponger, roundTrips, request, done))), $"pinger{run}");
        pinger.Tell(Start.Instance);
        var elapsed = done.Task.Result;
        system.Stop(pinger);
        system.Stop(ponger);
        return elapsed;
    }

    public sealed record Measurement(long RoundTrips, TimeSpan BestWall, int Throughput, string Executor, string Dispatcher)
    {
        public double RoundTripsPerSecond => RoundTrips / BestWall.TotalSeconds;

        public double MicrosecondsPerRoundTrip => BestWall.TotalMilliseconds * 1000 / RoundTrips;
    }

    private sealed class Start
    {
        public static readonly Start Instance = new();
    }

    private sealed class Ponger : ReceiveActor
    {
        public Ponger(Func<long, object>? reply) => Receive<Ping>(p => Sender.Tell(new Pong(p.Sequence, reply?.Invoke(p.Sequence))));
    }

    private sealed class Pinger : ReceiveActor
    {
        private readonly IActorRef _ponger;
        private readonly long _roundTrips;
        private readonly Func<long, object>? _payload;
        private readonly TaskCompletionSource<TimeSpan> _done;
        private Stopwatch _clock = new();

        public Pinger(IActorRef ponger, long roundTrips, Func<long, object>? payload, TaskCompletionSource<TimeSpan> done)
        {
            _ponger = ponger;
            _roundTrips = roundTrips;
            _payload = payload;
            _done = done;
            Receive<Start>(_ =>
            {
                _clock = Stopwatch.StartNew();
                Send(1);
            });
            Receive<Pong>(p =>
            {
                if (p.Sequence == _roundTrips)
                {
                    _clock.Stop();
                    _done.TrySetResult(_clock.Elapsed);
                    return;
                }

                Send(p.Sequence + 1);
            });
        }

        private void Send(long sequence) => _ponger.Tell(new Ping(sequence, _payload?.Invoke(sequence)));
    }
}
