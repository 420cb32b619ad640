using System.Text;

namespace Cdc.Schemas.Connect.Internal.Text;

/// <summary>
/// One-dimensional array output text, <c>{1,NULL,"a \"b\"",""}</c> (optionally after a <c>[lo:hi]=</c> bounds
/// decoration): elements split on the type's delimiter, double-quoted ones unescaped, unquoted NULL is null.
/// Multi-dimensional arrays fail: a Connect array of scalars cannot hold them.
/// </summary>
internal static class PgArrayText
{
    public static object?[] Parse(string text, char delimiter, Func<string, object> element)
    {
        var p = 0;
        if (text.Length > 0 && text[0] == '[')
        {
            p = text.IndexOf('=', StringComparison.Ordinal) + 1;
            if (p == 0)
            {
                throw new ValueDecodeError("array bounds without '='");
            }
        }

        if (p >= text.Length || text[p] != '{' || text[^1] != '}')
        {
            throw new ValueDecodeError("expected an array {...}");
        }

        p++;
        var end = text.Length - 1;
        var result = new List<object?>();
        if (p == end)
        {
            return [];
        }

        var item = new StringBuilder();
        while (true)
        {
            var index = result.Count;
            string? value;
            if (text[p] == '{')
            {
                throw new ValueDecodeError("multi-dimensional arrays are not supported");
            }

            if (text[p] == '"')
            {
                value = Quoted(text, ref p, end, item);
            }
            else
            {
                var start = p;
                while (p < end && text[p] != delimiter)
                {
                    if (text[p] is '"' or '{' or '}' or '\\')
                    {
                        throw new ValueDecodeError($"unexpected '{text[p]}' in an unquoted array element");
                    }

                    p++;
                }

                var raw = text[start..p];
                value = raw.Equals("NULL", StringComparison.OrdinalIgnoreCase) ? null : raw;
            }

            try
            {
                result.Add(value is null ? null : element(value));
            }
            catch (ValueDecodeError error)
            {
                error.PushIndex(index);
                throw;
            }
            catch (Exception error) when (error is FormatException or OverflowException)
            {
                var wrapped = new ValueDecodeError(error.Message, error);
                wrapped.PushIndex(index);
                throw wrapped;
            }

            if (p == end)
            {
                return result.ToArray();
            }

            if (text[p] != delimiter)
            {
                throw new ValueDecodeError($"expected '{delimiter}' after array element {index}");
            }

            p++;
        }
    }

    private static string Quoted(string text, ref int p, int end, StringBuilder item)
    {
        item.Clear();
        p++;
        while (p < end)
        {
            var c = text[p++];
            if (c == '"')
            {
                return item.ToString();
            }

            if (c == '\\')
            {
                if (p >= end)
                {
                    break;
                }

                c = text[p++];
            }

            item.Append(c);
        }

        throw new ValueDecodeError("unterminated quoted array element");
    }
}
