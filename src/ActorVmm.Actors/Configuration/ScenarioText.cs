using System.Globalization;
using System.Text;

namespace ActorVmm.Actors.Configuration;

/// <summary>
/// Scenario text as it may appear in a message: a scenario can hold anything (newlines in a
/// triple-quoted string, NULs, a megabyte on one line), and the message must stay one
/// readable line.
/// </summary>
public static class ScenarioText
{
    private const int MaximumShown = 60;

    /// <summary>
    /// A value as written when it is plain (printable, no surrounding spaces, short); otherwise
    /// quoted, with invisible characters escaped and the middle of a long one left out.
    /// </summary>
    public static string Show(string? raw)
    {
        raw ??= "";
        if (raw.Length > 0 && raw.Length <= MaximumShown && raw.Trim() == raw && raw.All(IsShownAsIs) && !raw.Contains('"'))
        {
            return raw;
        }

        var shown = new StringBuilder("\"");
        int limit = Math.Min(raw.Length, MaximumShown);
        for (int i = 0; i < limit; i++)
        {
            char c = raw[i];
            shown.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c == ' ' || IsShownAsIs(c) => c.ToString(),
                _ => $"\\u{(int)c:X4}",
            });
        }

        shown.Append('"');
        if (raw.Length > limit)
        {
            shown.Append(CultureInfo.InvariantCulture, $" (and {raw.Length - limit:N0} more characters)");
        }

        return shown.ToString();
    }

    /// <summary>A character that prints as itself on one line: not a control, format, separator or lone surrogate.</summary>
    public static bool IsShownAsIs(char c) => char.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.SpaceSeparator => false,
        _ => true,
    };

    /// <summary>One character for a syntax message: 'x', or U+XXXX when it would not print.</summary>
    public static string Character(char c) => IsShownAsIs(c) ? $"'{c}'" : $"U+{(int)c:X4}";
}
