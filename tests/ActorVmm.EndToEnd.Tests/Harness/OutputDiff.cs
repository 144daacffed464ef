using System.Text;
using ActorVmm.Host.Fuzz;

namespace ActorVmm.EndToEnd.Tests.Harness;

/// <summary>Says where two runs part ways: both statuses, and the first differing line and byte of stdout (or stderr).</summary>
public static class OutputDiff
{
    private const int Shown = 160;

    /// <summary>Null when stdout (and, if asked, stderr) and status are identical.</summary>
    public static string? Describe(GuestRun qemu, GuestRun exec, bool compareStderr = false)
    {
        var problems = new List<string>();
        if (qemu.Status != exec.Status)
        {
            problems.Add("exit status differs");
        }

        string? stdout = FirstDifference("stdout", qemu.Stdout, exec.Stdout);
        if (stdout is not null)
        {
            problems.Add(stdout);
        }

        if (compareStderr)
        {
            string? stderr = FirstDifference("stderr", qemu.Stderr, exec.Stderr);
            if (stderr is not null)
            {
                problems.Add(stderr);
            }
        }

        if (problems.Count == 0)
        {
            return null;
        }

        var s = new StringBuilder();
        s.AppendLine($"qemu-mipsel: status {qemu.Status}{(qemu.TimedOut ? " (timed out)" : "")}; exec: status {exec.Status}{(exec.TimedOut ? " (instruction limit)" : "")}");
        foreach (string p in problems)
        {
            s.AppendLine(p);
        }

        if (exec.Reason is { } reason)
        {
            s.AppendLine("exec says: " + reason.TrimEnd());
        }

        if (qemu.Stderr.Length > 0)
        {
            s.AppendLine("qemu stderr: " + Show(qemu.Stderr, 0, qemu.Stderr.Length));
        }

        return s.ToString();
    }

    /// <summary>Null when equal; else the first differing byte, its line and column, and that line from both.</summary>
    public static string? FirstDifference(string stream, byte[] expected, byte[] actual)
    {
        int common = Math.Min(expected.Length, actual.Length);
        int at = 0;
        while (at < common && expected[at] == actual[at])
        {
            at++;
        }

        if (at == common && expected.Length == actual.Length)
        {
            return null;
        }

        int lineStart = at == 0 ? 0 : Array.LastIndexOf(expected, (byte)'\n', at - 1) + 1;
        int line = 1 + expected.AsSpan(0, lineStart).Count((byte)'\n');
        var s = new StringBuilder();
        s.Append($"{stream} differs at byte {at} (line {line}, column {at - lineStart + 1}); qemu wrote {expected.Length} bytes, exec {actual.Length}");
        s.AppendLine();
        s.AppendLine("  qemu: " + ShowLine(expected, lineStart));
        s.Append("  exec: " + ShowLine(actual, lineStart));
        return s.ToString();
    }

    private static string ShowLine(byte[] bytes, int start)
    {
        if (start >= bytes.Length)
        {
            return "<end of output>";
        }

        int end = Array.IndexOf(bytes, (byte)'\n', start);
        return Show(bytes, start, (end < 0 ? bytes.Length : end + 1) - start);
    }

    /// <summary>Printable ASCII as is, everything else escaped, cut at <see cref="Shown"/> characters.</summary>
    public static string Show(byte[] bytes, int start, int length)
    {
        var s = new StringBuilder("\"");
        for (int i = start; i < start + length && i < bytes.Length; i++)
        {
            if (s.Length > Shown)
            {
                s.Append("...");
                break;
            }

            byte b = bytes[i];
            s.Append(b switch
            {
                (byte)'\n' => "\\n",
                (byte)'\t' => "\\t",
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        return s.Append('"').ToString();
    }
}
