using System.Globalization;
using System.Text;

namespace Cdc.Schemas.Connect.Internal.Text;

/// <summary>
/// hstore output text (<c>"a"=&gt;"1", "b"=&gt;NULL</c>) as Debezium emits it. pgjdbc's HStoreConverter puts the
/// pairs into a <c>java.util.HashMap</c> and Debezium writes that map's iteration order with Jackson (json mode) or
/// as a Connect map; <see cref="JavaHashMapOrder"/> reproduces the order.
/// </summary>
internal static class HstoreText
{
    /// <summary><c>hstore.handling.mode=json</c>: a JSON object, Jackson's escaping, no spaces.</summary>
    public static readonly Func<string, object> ToJson = static text =>
    {
        var json = new StringBuilder("{");
        foreach (var (key, value) in JavaHashMapOrder.Of(Parse(text)))
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }

            AppendJacksonString(json, key);
            json.Append(':');
            if (value is null)
            {
                json.Append("null");
            }
            else
            {
                AppendJacksonString(json, value);
            }
        }

        return json.Append('}').ToString();
    };

    /// <summary><c>hstore.handling.mode=map</c>: the decoders' map form, key/value pairs.</summary>
    public static readonly Func<string, object> ToMap = static text =>
        JavaHashMapOrder.Of(Parse(text)).Select(e => new KeyValuePair<object?, object?>(e.Key, e.Value)).ToArray();

    /// <summary>The pairs in text order.</summary>
    public static List<(string Key, string? Value)> Parse(string text)
    {
        var pairs = new List<(string, string?)>();
        var p = 0;
        SkipSpaces(text, ref p);
        while (p < text.Length)
        {
            var key = Quoted(text, ref p) ?? throw new ValueDecodeError("hstore key is NULL");
            SkipSpaces(text, ref p);
            if (!text.AsSpan(p).StartsWith("=>", StringComparison.Ordinal))
            {
                throw new ValueDecodeError("expected => after an hstore key");
            }

            p += 2;
            SkipSpaces(text, ref p);
            pairs.Add((key, Quoted(text, ref p)));
            SkipSpaces(text, ref p);
            if (p < text.Length)
            {
                if (text[p] != ',')
                {
                    throw new ValueDecodeError("expected , between hstore pairs");
                }

                p++;
                SkipSpaces(text, ref p);
            }
        }

        return pairs;
    }

    // A "quoted" string with backslash escapes, or NULL.
    private static string? Quoted(string text, ref int p)
    {
        if (text.AsSpan(p).StartsWith("NULL", StringComparison.OrdinalIgnoreCase))
        {
            p += 4;
            return null;
        }

        if (p >= text.Length || text[p] != '"')
        {
            throw new ValueDecodeError("expected a double-quoted hstore string");
        }

        p++;
        var value = new StringBuilder();
        while (true)
        {
            if (p >= text.Length)
            {
                throw new ValueDecodeError("unterminated hstore string");
            }

            var c = text[p++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c == '\\')
            {
                if (p >= text.Length)
                {
                    throw new ValueDecodeError("unterminated hstore string");
                }

                c = text[p++];
            }

            value.Append(c);
        }
    }

    private static void SkipSpaces(string text, ref int p)
    {
        while (p < text.Length && char.IsWhiteSpace(text[p]))
        {
            p++;
        }
    }

    // Jackson's default: " and \ escaped, \b \t \n \f \r short forms, other control characters as upper-case \u00XX.
    private static void AppendJacksonString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\t': json.Append("\\t"); break;
                case '\n': json.Append("\\n"); break;
                case '\f': json.Append("\\f"); break;
                case '\r': json.Append("\\r"); break;
                case < ' ': json.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }

        json.Append('"');
    }
}
