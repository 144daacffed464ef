using ActorVmm.Actors;
using ActorVmm.Actors.Configuration;
using ActorVmm.Cpu.Board;
using ActorVmm.Host.Progress;
using Spectre.Console;

namespace ActorVmm.EndToEnd.Tests.Fleet;

/// <summary>The progress display on its own: when it shows, what it shows, how it computes MIPS.</summary>
public sealed class ProgressDisplayTests
{
    private static readonly MonitorSettings Settings = ScenarioLoader.Load("""
        actorvmm.vms = [
          { name = a }
          { name = b }
          { name = c }
          { name = d }
        ]
        """, "four.conf");

    [Theory]
    [InlineData(ProgressMode.Off, false, true, ProgressStyle.None)]
    [InlineData(ProgressMode.Off, true, true, ProgressStyle.None)]
    [InlineData(ProgressMode.Auto, false, false, ProgressStyle.None)] // stdout redirected: nothing at all
    [InlineData(ProgressMode.Auto, true, false, ProgressStyle.None)]
    [InlineData(ProgressMode.Auto, false, true, ProgressStyle.Live)]
    [InlineData(ProgressMode.Auto, true, true, ProgressStyle.Lines)] // consoles on: plain lines between them
    [InlineData(ProgressMode.On, false, true, ProgressStyle.Live)]
    [InlineData(ProgressMode.On, true, true, ProgressStyle.Lines)]
    [InlineData(ProgressMode.On, false, false, ProgressStyle.Lines)] // asked for, but no terminal to redraw
    public void The_style_follows_output_progress_console_and_the_terminal(ProgressMode mode, bool console, bool terminal, ProgressStyle expected) =>
        Assert.Equal(expected, ProgressDisplay.Choose(mode, console, terminal));

    [Fact]
    public void Mips_are_overall_and_over_the_last_second_of_samples()
    {
        var meter = new RateMeter();
        Assert.True(double.IsNaN(meter.RecentMips));
        meter.Add(TimeSpan.FromSeconds(1), 100_000_000); // boot + first epoch
        Assert.Equal(100.0, meter.OverallMips, 6);
        meter.Add(TimeSpan.FromSeconds(1.5), 200_000_000);
        Assert.Equal(200.0, meter.RecentMips, 6);
        meter.Add(TimeSpan.FromSeconds(2), 250_000_000);
        Assert.Equal(150.0, meter.RecentMips, 6); // 1.0 s .. 2.0 s
        meter.Add(TimeSpan.FromSeconds(2.6), 280_000_000);
        Assert.Equal(80.0 / 1.1, meter.RecentMips, 6); // 1.5 s .. 2.6 s: the window keeps one sample before its start
        meter.Add(TimeSpan.FromSeconds(2.6), 999_999_999); // the same epoch boundary again: ignored
        Assert.Equal(280.0 / 2.6, meter.OverallMips, 6);
        meter.Add(TimeSpan.FromSeconds(6), 300_000_000); // a slow epoch: the rate spans the last two samples
        Assert.Equal(20.0 / 3.4, meter.RecentMips, 6);
    }

    [Fact]
    public void The_boot_phase_is_the_first_epoch_boundary_less_one_epoch()
    {
        var state = new ProgressState();
        Assert.Null(state.BootPhase);
        state.Progress(new RunProgress(1, 2_000_000, 4, 4, 4, 0, 1, TimeSpan.FromSeconds(1.0)));
        Assert.Equal(TimeSpan.FromSeconds(1.0), state.BootPhase); // one epoch only: an upper bound
        state.Progress(new RunProgress(2, 4_000_000, 4, 4, 4, 0, 2, TimeSpan.FromSeconds(1.25)));
        Assert.Equal(TimeSpan.FromSeconds(0.75), state.BootPhase);
        state.Progress(new RunProgress(3, 6_000_000, 4, 4, 4, 0, 3, TimeSpan.FromSeconds(9.0)));
        Assert.Equal(TimeSpan.FromSeconds(0.75), state.BootPhase); // later epochs do not matter
    }

    [Fact]
    public void Plain_lines_say_booting_then_the_figures_then_done_with_the_result()
    {
        var writer = new StringWriter();
        var synchronized = TextWriter.Synchronized(writer);
        using (var display = ProgressDisplay.StartLines(Settings, synchronized, TimeSpan.FromMilliseconds(10)))
        {
            WaitFor(synchronized, writer, "starting");
            display.State.Progress(new RunProgress(3, 6_000_000, 4, 4, 3, 1, 12_345_678, TimeSpan.FromSeconds(0.5)));
            WaitFor(synchronized, writer, "halted 1/4");
        }

        var lines = writer.ToString().TrimEnd().Split(Environment.NewLine);
        Assert.Contains("starting 4 VMs on 2 physical CPUs", lines[0]);
        Assert.Contains(lines, l => l.Contains("halted 1/4, running 3, booted 4 in ≈0.50 s (8 VMs/s); epoch 3, 6,000,000 cycles; 12,345,678 guest instructions, 24.7 MIPS"));
        Assert.All(lines, l => Assert.StartsWith("[progress] ", l));
    }

    [Fact]
    public void The_live_display_draws_a_bar_of_halted_vms_and_ends_on_the_final_frame()
    {
        var writer = new StringWriter();
        var synchronized = TextWriter.Synchronized(writer);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(synchronized),
        });
        console.Profile.Width = 120;
        var frames = new List<ProgressFrame>();
        using (var display = ProgressDisplay.StartLive(Settings, console))
        {
            display.State.Progress(new RunProgress(1, 2_000_000, 4, 4, 4, 0, 1_000_000, TimeSpan.FromSeconds(0.2)));
            frames.Add(display.Frame());
            display.State.Progress(new RunProgress(2, 4_000_000, 4, 4, 2, 2, 3_000_000, TimeSpan.FromSeconds(0.4)));
            frames.Add(display.Frame());
            WaitFor(synchronized, writer, "2/4  50%");
            var result = new MonitorResult(Settings,
                Settings.Vms.Select(v => new VmResult(v.Id, v.Name, MachineOutcome.PowerOff(0), "", null, null)).ToList(),
                [], new ActorVmm.Memory.MemoryUsage(0, 0, new Dictionary<int, uint>(), 0), 3, TimeSpan.FromSeconds(0.6));
            display.State.Complete(result);
            frames.Add(display.Frame());
        }

        Assert.Equal(10.0, frames[1].RecentMips, 6);
        Assert.True(frames[2].Done);
        Assert.Equal((4, 0, 3L, 6_000_000L), (frames[2].Progress!.VmsHalted, frames[2].Progress!.VmsRunning, frames[2].Progress!.Epoch, frames[2].Progress!.SimulatedCycles));

        string screen = writer.ToString();
        Assert.Contains("four.conf", screen);
        Assert.Contains(new string('━', 20), screen);
        Assert.Contains("4/4 100%", screen);
        Assert.Contains("0.6 s, done", screen);
        Assert.Contains("3,000,000 instructions", screen);
    }

    /// <summary>Waits (up to 30 s, for a loaded machine) until the render thread has written <paramref name="text"/>.</summary>
    private static void WaitFor(TextWriter synchronized, StringWriter writer, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            lock (synchronized)
            {
                if (writer.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"the display never wrote '{text}'");
            Thread.Sleep(5);
        }
    }
}
