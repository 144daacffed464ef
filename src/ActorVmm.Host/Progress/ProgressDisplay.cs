using System.Diagnostics;
using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using Spectre.Console;

namespace ActorVmm.Host.Progress;

/// <summary>How a run's progress is shown, if at all.</summary>
public enum ProgressStyle
{
    None,

    /// <summary>A Spectre.Console live display redrawn in place (a terminal, no VM consoles).</summary>
    Live,

    /// <summary>An occasional plain <c>[progress]</c> line, which interleaves cleanly with VM console lines.</summary>
    Lines,
}

/// <summary>
/// The live progress of <c>actorvmm run</c>: VMs booted / running / halted, simulated time,
/// epochs and aggregate guest MIPS. The monitor publishes into <see cref="State"/> at every
/// epoch boundary; this display's own thread reads it and renders, so the root actor never
/// waits for a terminal.
/// </summary>
public sealed class ProgressDisplay : IDisposable
{
    /// <summary>How often the live display is redrawn.</summary>
    public static readonly TimeSpan LivePeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a plain progress line is printed.</summary>
    public static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);

    private readonly MonitorSettings _settings;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly RateMeter _rate = new();
    private readonly HostMeter _host = new();
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private readonly IAnsiConsole? _live;
    private readonly TextWriter? _lines;
    private readonly TimeSpan _lineInterval;
    private Exception? _failure;

    private ProgressDisplay(MonitorSettings settings, IAnsiConsole? live, TextWriter? lines, TimeSpan lineInterval)
    {
        _settings = settings;
        _live = live;
        _lines = lines;
        _lineInterval = lineInterval;
        _thread = new Thread(Render) { IsBackground = true, Name = "actorvmm progress" };
        _thread.Start();
    }

    /// <summary>Where the monitor reports; pass it to <see cref="MonitorRun.Execute"/>.</summary>
    public ProgressState State { get; } = new();

    /// <summary>
    /// The style for a run. Auto shows progress only when stdout is a terminal; with VM
    /// consoles on, progress is plain lines so that a live redraw never cuts a console line.
    /// A live display also needs a terminal, so <c>on</c> with stdout redirected is plain lines.
    /// </summary>
    public static ProgressStyle Choose(ProgressMode mode, bool consoleOn, bool stdoutIsTerminal) => mode switch
    {
        ProgressMode.Off => ProgressStyle.None,
        ProgressMode.Auto when !stdoutIsTerminal => ProgressStyle.None,
        _ when consoleOn || !stdoutIsTerminal => ProgressStyle.Lines,
        _ => ProgressStyle.Live,
    };

    /// <summary>Runs <paramref name="execute"/> with a progress display as the settings ask, and ends the display before returning.</summary>
    public static MonitorRun Around(MonitorSettings settings, Func<IRunObserver?, MonitorRun> execute)
    {
        var style = Choose(settings.Output.Progress, settings.Output.Console, !Console.IsOutputRedirected);
        if (style == ProgressStyle.None)
        {
            return execute(null);
        }

        using var display = style == ProgressStyle.Live ? StartLive(settings, AnsiConsole.Console) : StartLines(settings, Console.Out, LineInterval);
        var run = execute(display.State);
        display.State.Complete(run.Result);
        return run;
    }

    public static ProgressDisplay StartLive(MonitorSettings settings, IAnsiConsole console) => new(settings, console, null, LivePeriod);

    public static ProgressDisplay StartLines(MonitorSettings settings, TextWriter writer, TimeSpan interval) => new(settings, null, writer, interval);

    /// <summary>The frame the display would show now (also what the render thread uses).</summary>
    public ProgressFrame Frame()
    {
        lock (_rate)
        {
            var p = State.Latest;
            if (p is not null)
            {
                _rate.Add(p.WallTime, p.GuestInstructions);
            }

            bool done = State.Completed;
            return new ProgressFrame(_settings.ScenarioName, _settings.Vms.Count, _settings.Machine.PhysicalCpus, p, done,
                done ? p!.WallTime : _clock.Elapsed, _rate.OverallMips, _rate.RecentMips, State.BootPhase, _host.Sample());
        }
    }

    /// <summary>Stops the render thread after it has drawn the last frame.</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
        if (_failure is not null)
        {
            Console.Error.WriteLine($"actorvmm run: the progress display failed: {_failure.Message}");
        }
    }

    private void Render()
    {
        try
        {
            if (_live is not null)
            {
                _live.Live(Frame().Renderable()).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).Start(ctx =>
                {
                    while (!_stop.Wait(LivePeriod))
                    {
                        ctx.UpdateTarget(Frame().Renderable());
                    }

                    ctx.UpdateTarget(Frame().Renderable());
                    ctx.Refresh();
                });
            }
            else
            {
                // Sampled at the live rate (for the peaks and the MIPS window), printed at the line interval.
                var printed = TimeSpan.Zero;
                while (!_stop.Wait(_lineInterval < LivePeriod ? _lineInterval : LivePeriod))
                {
                    var frame = Frame();
                    if (_clock.Elapsed - printed >= _lineInterval)
                    {
                        printed = _clock.Elapsed;
                        _lines!.WriteLine(frame.Line());
                    }
                }

                _lines!.WriteLine(Frame().Line());
            }
        }
        catch (Exception e)
        {
            _failure = e; // a broken terminal must not take the run down
        }
    }
}
