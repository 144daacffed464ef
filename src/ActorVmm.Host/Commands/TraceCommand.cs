using System.CommandLine;
using ActorVmm.Monitor.Tracing;

namespace ActorVmm.Host.Commands;

/// <summary><c>actorvmm trace summary|flow FILE</c>: read a message trace.</summary>
public static class TraceCommand
{
    public static Command Create()
    {
        var command = new Command("trace", "Analyse a message trace written by actorvmm run.");
        var file = new Argument<FileInfo>("file") { Description = "The trace file (.avtrace)." };
        var summary = new Command("summary", "Counts per message kind per VM, and trap round-trip latencies.") { file };
        summary.SetAction(parse => WithTrace(parse.GetValue(file)!, trace =>
        {
            Console.Out.Write(TraceAnalysis.Summary(trace));
            return 0;
        }));

        var flowFile = new Argument<FileInfo>("file") { Description = "The trace file (.avtrace)." };
        var vm = new Option<int>("--vm") { Description = "VM number (1-based, in scenario order).", Required = true };
        var syscall = new Option<int?>("--syscall") { Description = "Show the K-th system call made by a user process (1-based)." };
        var tlbMiss = new Option<int?>("--tlb-miss") { Description = "Show the K-th user TLB miss the L2 TLB could not serve (1-based)." };
        var flow = new Command("flow", "The messages of one system-call or TLB-miss flow, step by step.") { flowFile, vm, syscall, tlbMiss };
        flow.SetAction(parse => WithTrace(parse.GetValue(flowFile)!, trace =>
        {
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

    private static int WithTrace(FileInfo file, Func<TraceReader, int> action)
    {
        TraceReader trace;
        try
        {
            trace = TraceReader.Open(file.FullName);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"actorvmm trace: {e.Message}");
            return 2;
        }

        return action(trace);
    }
}
