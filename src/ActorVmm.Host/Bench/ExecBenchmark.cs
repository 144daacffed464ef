using System.Diagnostics;
using ActorVmm.Cpu.Elf;
using ActorVmm.Cpu.Exec;

namespace ActorVmm.Host.Bench;

/// <summary>
/// One guest program under <c>exec</c> (in this process), plain <c>qemu-mipsel</c> (a JIT) and
/// <c>qemu-mipsel -singlestep</c> (one instruction per translation block: an interpreter-like
/// peer), measured in the same run. MIPS for all three use the instruction count exec
/// reports, since the same ELF executes the same instructions.
/// </summary>
public sealed class ExecBenchmark(FileInfo program, string[] arguments, int repeat)
{
    public sealed record Measurement(string Runner, TimeSpan BestWall, long Instructions, string Output)
    {
        public double Mips => Instructions / BestWall.TotalSeconds / 1e6;
    }

    public Measurement MeasureExec()
    {
        var image = ElfImage.Parse(File.ReadAllBytes(program.FullName), program.Name);
        TimeSpan best = TimeSpan.MaxValue;
        long instructions = 0;
        string output = "";
        for (int i = 0; i < repeat; i++)
        {
            using var stdout = new MemoryStream();
            using var process = new LinuxProcess(image, [program.Name, .. arguments], stdout, Stream.Null);
            var clock = Stopwatch.StartNew();
            var exit = process.Run();
            clock.Stop();
            if (exit.Status != 0)
            {
                throw new InvalidOperationException($"{program.Name} exited with status {exit.Status} under exec");
            }

            instructions = process.InstructionsRetired;
            output = System.Text.Encoding.UTF8.GetString(stdout.ToArray());
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }

        return new Measurement("actorvmm exec", best, instructions, output);
    }

    public Measurement? MeasureQemu(bool singleStep, long instructions)
    {
        TimeSpan best = TimeSpan.MaxValue;
        string output = "";
        for (int i = 0; i < repeat; i++)
        {
            var info = new ProcessStartInfo("qemu-mipsel") { RedirectStandardOutput = true, UseShellExecute = false };
            if (singleStep)
            {
                info.ArgumentList.Add("-singlestep");
            }

            info.ArgumentList.Add(program.FullName);
            foreach (string a in arguments)
            {
                info.ArgumentList.Add(a);
            }

            Process? qemu;
            var clock = Stopwatch.StartNew();
            try
            {
                qemu = Process.Start(info);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null; // qemu-user is not installed
            }

            output = qemu!.StandardOutput.ReadToEnd();
            qemu.WaitForExit();
            clock.Stop();
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }

        return new Measurement(singleStep ? "qemu-mipsel -singlestep" : "qemu-mipsel", best, instructions, output);
    }
}
