using System.Globalization;

namespace Cdc.Schemas.Connect.Internal;

/// <summary>
/// A PostgreSQL type as <c>format_type()</c> prints it, split into a normalised base name (lower case,
/// single spaces, no schema qualifier or quotes, time zone suffix kept), its modifiers and array-ness:
/// <c>timestamp(3) without time zone[]</c> → ("timestamp without time zone", [3], array).
/// Also accepts internal names (<c>int4</c>, <c>_int4</c>, <c>timestamptz</c>).
/// </summary>
internal readonly record struct PgTypeName(string Name, int[] Modifiers, bool IsArray)
{
    public static PgTypeName Parse(string formatType)
    {
        var text = formatType.Trim().ToLowerInvariant();
        var isArray = false;
        while (text.EndsWith(']'))
        {
            var open = text.LastIndexOf('[');
            if (open < 0)
            {
                break;
            }

            text = text[..open].TrimEnd();
            isArray = true;
        }

        var modifiers = Array.Empty<int>();
        var paren = text.IndexOf('(', StringComparison.Ordinal);
        var close = paren < 0 ? -1 : text.IndexOf(')', paren);
        if (paren >= 0 && close > paren)
        {
            modifiers = ParseModifiers(text[(paren + 1)..close]);
            text = text[..paren] + " " + text[(close + 1)..];
        }

        text = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Replace("\"", "", StringComparison.Ordinal);
        var dot = text.LastIndexOf('.');
        if (dot >= 0)
        {
            text = text[(dot + 1)..];
        }

        if (!isArray && text.Length > 1 && text[0] == '_')
        {
            text = text[1..];
            isArray = true;
        }

        return new PgTypeName(text, modifiers, isArray);
    }

    public int? Modifier(int index) => index < Modifiers.Length ? Modifiers[index] : null;

    private static int[] ParseModifiers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result[i]))
            {
                throw new ArgumentException($"type modifier '{parts[i]}' is not an integer", nameof(text));
            }
        }

        return result;
    }
}
