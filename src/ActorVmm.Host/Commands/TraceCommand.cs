using System.CommandLine;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Host.Commands;

/// <summary><c>actorvmm trace summary|flow|export|sql FILE...</c>: read a message trace.</summary>
public static class TraceCommand
{
    public static Command Create()
    {
        var command = new Command("trace", "Analyse a message trace written by actorvmm run (one file per node; several files are merged).");
        var files = new Argument<FileInfo[]>("files") { Description = "The trace files (.avtrace), one per node.", Arity = ArgumentArity.OneOrMore };
        var summary = new Command("summary", "Counts per message kind per VM, and trap round-trip latencies.") { files };
        summary.SetAction(parse => WithTraces(parse.GetValue(files)!, trace =>
        {
            Console.Out.Write(TraceAnalysis.Summary(trace));
            return 0;
        }));

        var flowFile = new Argument<FileInfo>("file") { Description = "The trace file (.avtrace)." };
        var vm = new Option<int>("--vm") { Description = "VM number (1-based, in scenario order).", Required = true };
        var syscall = new Option<int?>("--syscall") { Description = "Show the K-th system call made by a user process (1-based)." };
        var tlbMiss = new Option<int?>("--tlb-miss") { Description = "Show the K-th user TLB miss the L2 TLB could not serve (1-based)." };
        var flow = new Command("flow", "The messages of one system-call or TLB-miss flow, step by step.") { flowFile, vm, syscall, tlbMiss };
        flow.SetAction(parse => WithTraces([parse.GetValue(flowFile)!], set =>
        {
            var trace = set.Files[0];
            int? k = parse.GetValue(syscall);
            int? t = parse.GetValue(tlbMiss);
            if (k.HasValue == t.HasValue)
            {
                Console.Error.WriteLine("actorvmm trace flow: give exactly one of --syscall K or --tlb-miss K");
                return 2;
            }

            var kind = k.HasValue ? FlowKind.Syscall : FlowKind.TlbMiss;
            int ordinal = k ?? t!.Value;
            int id = parse.GetValue(vm);
            var records = TraceAnalysis.Flow(trace, id, kind, ordinal);
            if (records.Count == 0)
            {
                Console.Error.WriteLine($"actorvmm trace flow: vm{id} has {TraceAnalysis.CountFlows(trace, id, kind)} {(kind == FlowKind.Syscall ? "system calls" : "user TLB misses")} in this trace; no number {ordinal}");
                return 1;
            }

            Console.Out.Write(TraceAnalysis.Format(trace, records));
            return 0;
        }));

        command.Subcommands.Add(summary);
        command.Subcommands.Add(flow);
        return command;
    }

    /// <summary>
    /// Open the files and run <paramref name="action"/> on what they hold. A file that was cut
    /// short or damaged is still read: what was recovered is analysed, the findings go to
    /// stderr, and the exit status is 1 unless the action failed otherwise. A file that cannot
    /// be read at all (not a trace, another format) exits with 2.
    /// </summary>
    public static int WithTraces(IReadOnlyList<FileInfo> files, Func<TraceSet, int> action)
    {
        TraceSet trace;
        try
        {
            trace = TraceSet.Open(files.Select(f => f.FullName));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"actorvmm trace: {e.Message}");
            return 2;
        }

        int status;
        try
        {
            status = action(trace);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"actorvmm trace: {e.Message}");
            return 2;
        }

        bool damaged = false;
        foreach (var file in trace.Files)
        {
            foreach (var finding in file.Integrity.Findings())
            {
                Console.Error.WriteLine($"actorvmm trace: {file.Path}: {finding}");
            }

            damaged |= !file.Integrity.Intact;
        }

        return status == 0 && damaged ? 1 : status;
    }
}
