namespace ActorVmm.Actors.Configuration;

/// <summary>
/// The HOCON a scenario may be written in, checked before Akka's parser sees the text.
/// Akka's parser trusts its input: a substitution cycle or <c>${?X}</c> overflows its stack
/// (which no handler can catch), a stray character inside a list makes it loop forever
/// allocating, and much else is silently read as something other than what was written.
/// So a scenario is held to a plain subset: keys of letters, digits, '-' and '_'; values that
/// are text, an object or a list, one per line or separated by commas; comments. No
/// substitutions and no includes: a scenario is one self-contained file over the reference
/// configuration. Everything else is refused here, with its line and the key it is in.
/// The check is one linear pass, with nesting bounded so that Akka's recursive descent stays
/// shallow.
/// </summary>
public sealed class ScenarioSyntax
{
    /// <summary>Objects, lists and dotted key segments, together; the reference is 3 deep, a VM entry 4.</summary>
    public const int MaximumDepth = 16;

    /// <summary>The longest reference key is 22 characters; unknown keys are compared with every known one.</summary>
    public const int MaximumKeyLength = 64;

    /// <summary>Words and strings HOCON joins into one value; Akka keeps each as an object, so millions take minutes.</summary>
    public const int MaximumValueParts = 256;

    // Characters that end unquoted text in Akka's tokenizer; several of them it cannot parse at all.
    private const string NotInUnquotedText = "$\"{}[]:=,#`^?!@*&\\";

    private readonly string _text;
    private int _pos;
    private int _line = 1;

    private ScenarioSyntax(string text) => _text = text;

    /// <summary>"line N: problem", or null if the text is in the subset.</summary>
    public static string? FindProblem(string text)
    {
        var syntax = new ScenarioSyntax(text);
        try
        {
            syntax.Document();
            return null;
        }
        catch (Problem p)
        {
            return $"line {p.Line}: {p.Message}";
        }
    }

    private void Document()
    {
        SkipBlank();
        if (Peek() == '{')
        {
            _pos++;
            Body("", 1, '}');
            _pos++;
            SkipBlank();
            if (!AtEnd)
            {
                throw Fail($"{Character(Peek())} after the '}}' that closes the whole scenario");
            }

            return;
        }

        Body("", 0, null);
    }

    /// <summary>Settings up to <paramref name="closer"/> (not consumed), or to the end of the text when null.</summary>
    private void Body(string path, int depth, char? closer)
    {
        while (true)
        {
            SkipBlank();
            if (AtEnd)
            {
                if (closer is null)
                {
                    return;
                }

                throw Fail($"'{{' of {Describe(path)} is never closed");
            }

            char c = Peek();
            if (c == closer)
            {
                return;
            }

            if (c is '}' or ']')
            {
                throw Fail($"'{c}' closes nothing");
            }

            if (c == ',')
            {
                throw Fail($"a ',' with no setting before it{In(path)}");
            }

            var (key, section) = Field(path, depth);
            SkipSpacesAndComment();
            if (AtEnd || Peek() == '\n' || Peek() == closer)
            {
                continue;
            }

            if (Peek() == ',')
            {
                if (section)
                {
                    throw Fail($"a ',' after {key} {{ ... }} is refused by Akka's parser; end the line there, or write {key} = {{ ... }},");
                }

                _pos++;
                SkipBlank();
                if (Peek() == ',')
                {
                    throw Fail($"two ',' in a row after {key}");
                }

                continue;
            }

            throw Unexpected(key);
        }
    }

    /// <summary>One setting: <c>key = value</c>, <c>key: value</c> or <c>key { ... }</c> (a section). Returns the full key.</summary>
    private (string Key, bool Section) Field(string path, int depth)
    {
        string key = path;
        string first = "";
        int segments = 0;
        while (true)
        {
            string segment = KeySegment(key);
            first = segments == 0 ? segment : first;
            key = key.Length == 0 ? segment : $"{key}.{segment}";
            segments++;
            if (depth + segments > MaximumDepth)
            {
                throw Fail($"{key} is nested more than {MaximumDepth} levels deep");
            }

            if (Peek() != '.')
            {
                break;
            }

            _pos++;
        }

        if (segments == 1 && first == "include" && AtSpace())
        {
            SkipSpaces();
            if (Peek() is not ('=' or ':' or '{'))
            {
                throw Fail("include is not supported: a scenario is one file, over the reference configuration");
            }
        }

        SkipSpaces();
        char c = Peek();
        if (c is '=' or ':')
        {
            _pos++;
            SkipSpaces();
            Value(key, depth + segments);
        }
        else if (c == '{')
        {
            Object(key, depth + segments);
            return (key, true);
        }
        else if (c == '+' && Peek(1) == '=')
        {
            throw Fail($"{key} += ...: appending is not supported; write the whole value");
        }
        else
        {
            throw Fail($"expected '=', ':' or '{{' after the key {key}, found {Found()}");
        }

        return (key, false);
    }

    private string KeySegment(string path)
    {
        char c = Peek();
        if (c == '"')
        {
            int start = _pos;
            // Akka reads a """ key as an empty one followed by garbage.
            string quoted = string.CompareOrdinal(_text, _pos, "\"\"\"", 0, 3) == 0 ? "" : QuotedString();
            if (quoted.Length is 0 or > MaximumKeyLength || !quoted.All(IsKeyCharacter))
            {
                throw Fail($"the key {ScenarioText.Show(_text[start.._pos])}{In(path)} is not letters, digits, '-' and '_'");
            }

            return quoted;
        }

        int first = _pos;
        while (!AtEnd && IsKeyCharacter(Peek()))
        {
            _pos++;
        }

        if (_pos == first)
        {
            if (c == '$' && Peek(1) == '{')
            {
                throw Fail($"a substitution (${{...}}) where a key should be{In(path)}: substitutions are not supported");
            }

            throw Fail($"expected a key{In(path)}, found {Found()}");
        }

        if (_pos - first > MaximumKeyLength)
        {
            throw Fail($"a key{In(path)} of {_pos - first:N0} characters ({_text.Substring(first, 20)}...): keys are at most {MaximumKeyLength}");
        }

        string segment = _text[first.._pos];
        if (!AtEnd && !AtSpace() && Peek() is not ('.' or '=' or ':' or '{' or '\n' or '+'))
        {
            throw Fail($"the key {Join(path, segment)} is followed by {Found()}: a key is letters, digits, '-' and '_' (quote nothing else)");
        }

        return segment;
    }

    /// <summary>
    /// A value on the rest of the line: text (unquoted words and quoted strings, which HOCON
    /// joins), or one object, or one list. Stops before whatever ends it.
    /// </summary>
    private void Value(string key, int depth)
    {
        char? last = null; // 't' text, '{' object, '[' list
        for (int parts = 0; ; parts++)
        {
            if (parts == MaximumValueParts)
            {
                throw Fail($"{key} joins more than {MaximumValueParts} words and strings; quote the value");
            }

            char c = Peek();
            bool isText = c == '"' || IsUnquotedText();
            if (c is '{' or '[' || isText)
            {
                char kind = isText ? 't' : c;
                if (last is '{' && kind == '{')
                {
                    throw Fail($"{key}: two objects on one line ('}} {{') are merged into one by HOCON; separate them with a comma or a newline");
                }

                if (last is not null && (last != 't' || kind != 't'))
                {
                    throw Fail($"{key}: {Name(last.Value)} and {Name(kind)} on one line; separate them with a comma or a newline");
                }

                last = kind;
                if (c == '{')
                {
                    Object(key, depth);
                }
                else if (c == '[')
                {
                    List(key, depth);
                }
                else if (c == '"')
                {
                    QuotedString();
                }
                else
                {
                    while (IsUnquotedText())
                    {
                        _pos++;
                    }
                }
            }
            else if (c == '$' && Peek(1) == '{')
            {
                int end = _text.IndexOf('}', _pos);
                string written = end < 0 || end - _pos > 80 ? "${...}" : _text[_pos..(end + 1)];
                throw Fail($"{key} = {ScenarioText.Show(written)}: substitutions are not supported in a scenario; write the value itself");
            }
            else
            {
                if (last is null)
                {
                    throw Fail(AtEnd || c is '\n' or ',' or '}' or ']' || AtComment()
                        ? $"{key} has no value"
                        : $"{key} = {Found()}: expected a value");
                }

                return;
            }

            SkipSpaces();
        }

        static string Name(char kind) => kind switch { '{' => "an object", '[' => "a list", _ => "text" };
    }

    private void Object(string key, int depth)
    {
        int line = _line;
        Deeper(key, depth);
        _pos++;
        Body(key, depth + 1, '}');
        if (AtEnd)
        {
            throw new Problem(line, $"'{{' of {Describe(key)} is never closed");
        }

        _pos++;
    }

    private void List(string key, int depth)
    {
        int line = _line;
        Deeper(key, depth);
        _pos++;
        for (int index = 0; ; index++)
        {
            SkipBlank();
            if (AtEnd)
            {
                throw new Problem(line, $"'[' of {key} is never closed");
            }

            if (Peek() == ']')
            {
                _pos++;
                return;
            }

            string element = $"{key}[{index}]";
            if (Peek() == ',')
            {
                throw Fail($"{element} is empty (two ',' in a row or a ',' first)");
            }

            Value(element, depth + 1);
            SkipSpacesAndComment();
            if (Peek() == ',')
            {
                _pos++;
            }
            else if (!AtEnd && Peek() is not ('\n' or ']'))
            {
                throw Unexpected(element);
            }
        }
    }

    private void Deeper(string key, int depth)
    {
        if (depth + 1 > MaximumDepth)
        {
            throw Fail($"{key} is nested more than {MaximumDepth} levels deep");
        }
    }

    /// <summary>A "quoted" or """triple-quoted""" string; returns its content (escapes undone only as far as a key needs).</summary>
    private string QuotedString()
    {
        int line = _line;
        if (string.CompareOrdinal(_text, _pos, "\"\"\"", 0, 3) == 0)
        {
            int end = _text.IndexOf("\"\"\"", _pos + 3, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new Problem(line, "a \"\"\" string is not closed");
            }

            string content = _text[(_pos + 3)..end];
            _line += content.Count(c => c == '\n');
            _pos = end + 3;
            return content;
        }

        int start = ++_pos;
        while (true)
        {
            if (AtEnd || Peek() == '\n')
            {
                throw new Problem(line, "a string is not closed");
            }

            char c = Peek();
            if (c == '"')
            {
                _pos++;
                return _text[start..(_pos - 1)];
            }

            if (c == '\\')
            {
                Escape();
            }
            else
            {
                _pos++;
            }
        }
    }

    /// <summary>The escapes JSON has; Akka refuses others with a message that names no line.</summary>
    private void Escape()
    {
        if (_pos + 1 >= _text.Length)
        {
            throw Fail("a string is not closed");
        }

        char e = Peek(1);
        if (e is '"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't')
        {
            _pos += 2;
            return;
        }

        if (e == 'u' && Enumerable.Range(2, 4).All(i => char.IsAsciiHexDigit(Peek(i))))
        {
            _pos += 6;
            return;
        }

        throw Fail(e == 'u'
            ? "\\u in a string must be followed by four hexadecimal digits"
            : $"unknown escape {(ScenarioText.IsShownAsIs(e) ? $"\\{e}" : $"\\ followed by {Character(e)}")} in a string (known: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
    }

    private bool IsUnquotedText()
    {
        if (AtEnd || AtComment())
        {
            return false;
        }

        char c = Peek();
        return !char.IsWhiteSpace(c) && !char.IsControl(c) && !NotInUnquotedText.Contains(c);
    }

    private static bool IsKeyCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    /// <summary>A space, a tab, or the CR of a CRLF; a lone CR is refused (Akka ends a value there but not a line).</summary>
    private bool AtSpace() => Peek() is ' ' or '\t' || (Peek() == '\r' && Peek(1) == '\n');

    /// <summary>Spaces, comments and newlines.</summary>
    private void SkipBlank()
    {
        while (!AtEnd)
        {
            char c = Peek();
            if (c == '\n')
            {
                _line++;
                _pos++;
            }
            else if (AtSpace())
            {
                _pos++;
            }
            else if (AtComment())
            {
                SkipComment();
            }
            else
            {
                CheckVisible(c);
                return;
            }
        }
    }

    private void SkipSpaces()
    {
        while (!AtEnd && AtSpace())
        {
            _pos++;
        }

        if (!AtEnd)
        {
            CheckVisible(Peek());
        }
    }

    private void SkipSpacesAndComment()
    {
        SkipSpaces();
        if (AtComment())
        {
            SkipComment();
        }
    }

    private void SkipComment()
    {
        int end = _text.IndexOf('\n', _pos);
        _pos = end < 0 ? _text.Length : end;
    }

    /// <summary>Control characters and Unicode spaces outside strings: Akka splits or joins words on them unpredictably.</summary>
    private void CheckVisible(char c)
    {
        if (c != '\n' && (char.IsControl(c) || char.IsWhiteSpace(c)) && !AtSpace())
        {
            throw Fail($"unexpected character {ScenarioText.Character(c)} (outside a quoted string)");
        }
    }

    private bool AtComment() => !AtEnd && (Peek() == '#' || (Peek() == '/' && Peek(1) == '/'));

    private bool AtEnd => _pos >= _text.Length;

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private string Found() => AtEnd ? "the end of the file" : Peek() == '\n' ? "the end of the line" : ScenarioText.Character(Peek());

    private Problem Unexpected(string key)
    {
        char c = Peek();
        if (c == '$' && Peek(1) == '{')
        {
            return Fail($"{key}: substitutions (${{...}}) are not supported in a scenario; write the value itself");
        }

        return Fail(c is '=' or ':'
            ? $"{key}: unexpected '{c}' in the value; quote text that contains '=' or ':'"
            : $"{key}: unexpected {Found()} after the value");
    }

    private static string Describe(string path) => path.Length == 0 ? "the scenario" : path;

    private static string In(string path) => path.Length == 0 ? "" : $" in {path}";

    private static string Join(string path, string segment) => path.Length == 0 ? segment : $"{path}.{segment}";

    private static string Character(char c) => ScenarioText.Character(c);

    private Problem Fail(string message) => new(_line, message);

    private sealed class Problem(int line, string message) : Exception(message)
    {
        public int Line { get; } = line;
    }
}
