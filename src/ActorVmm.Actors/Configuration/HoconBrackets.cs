namespace ActorVmm.Actors.Configuration;

/// <summary>
/// A lexical check of HOCON's brackets before the real parser sees the text: Akka's parser
/// runs away (minutes, gigabytes) on an unclosed array such as <c>machine = [ }</c>, so a
/// scenario typo must be caught here, with the line it is on.
/// </summary>
public static class HoconBrackets
{
    public static string? FindProblem(string text)
    {
        var open = new Stack<(char Bracket, int Line)>();
        int line = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\n':
                    line++;
                    break;
                case '#':
                    i = SkipToEndOfLine(text, i);
                    break;
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    i = SkipToEndOfLine(text, i);
                    break;
                case '"':
                    i = SkipString(text, i, ref line);
                    if (i < 0)
                    {
                        return $"line {line}: a string is not closed";
                    }

                    break;
                case '{' or '[':
                    open.Push((c, line));
                    break;
                case '}' or ']':
                    char expected = c == '}' ? '{' : '[';
                    if (open.Count == 0)
                    {
                        return $"line {line}: '{c}' closes nothing";
                    }

                    var (bracket, at) = open.Pop();
                    if (bracket != expected)
                    {
                        return $"line {line}: '{c}' closes the '{bracket}' opened on line {at}";
                    }

                    break;
            }
        }

        return open.Count == 0 ? null : $"line {open.Peek().Line}: '{open.Peek().Bracket}' is never closed";
    }

    private static int SkipToEndOfLine(string text, int i)
    {
        int end = text.IndexOf('\n', i);
        return end < 0 ? text.Length : end - 1;
    }

    /// <summary>Past a "quoted" or """triple-quoted""" string; -1 if it never ends.</summary>
    private static int SkipString(string text, int i, ref int line)
    {
        if (string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0)
        {
            int end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
            if (end < 0)
            {
                return -1;
            }

            line += text.AsSpan(i, end - i).Count('\n');
            return end + 2;
        }

        for (int j = i + 1; j < text.Length; j++)
        {
            if (text[j] == '\\')
            {
                j++;
            }
            else if (text[j] == '"')
            {
                return j;
            }
            else if (text[j] == '\n')
            {
                return -1;
            }
        }

        return -1;
    }
}
