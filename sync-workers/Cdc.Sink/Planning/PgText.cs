using System.Globalization;
using System.Text;
using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;

namespace Cdc.Sink.Planning;

/// <summary>
/// Renders decoded values in PostgreSQL's text input syntax; the server casts them to the column's type.
/// Exact by construction: decimals stay digit strings, timestamps keep microseconds. <see cref="ForColumn"/>
/// adapts the few values whose Debezium form is not the target type's input syntax.
/// </summary>
internal static class PgText
{
    /// <summary>
    /// The formatter for values bound for a column of <paramref name="pgType"/> (<c>format_type()</c> text, e.g.
    /// <c>hstore</c>, <c>bit(1)</c>, <c>public.hstore[]</c>). Some Debezium forms are not the column type's input
    /// syntax and are rewritten: an hstore's JSON object text (or, with <c>hstore.handling.mode=map</c>, a map) becomes
    /// <c>"k"=&gt;"v"</c>; <c>bit(1)</c>'s boolean <c>1</c>/<c>0</c>; a <c>bit varying</c> loses the padding to its declared
    /// length unless its exact length came in the connector's <see cref="BitLengthsHeader"/> (Debezium's Bits carries no
    /// value length: docs/design.md#type-mapping); a numeric's
    /// <c>NAN</c>/<c>POSITIVE_INFINITY</c>/<c>NEGATIVE_INFINITY</c> (<c>decimal.handling.mode=string</c>) becomes
    /// <c>NaN</c>/<c>Infinity</c>/<c>-Infinity</c>. Everything else is <see cref="Format"/>.
    /// </summary>
    public static Func<object?, string?> ForColumn(string pgType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pgType);
        var (baseType, isArray) = BaseType(pgType);
        Func<object?, string?>? element = baseType switch
        {
            "hstore" => FormatHstore,
            "bit" => FormatBit,
            "bit varying" or "varbit" => FormatVarbit,
            "numeric" or "decimal" => FormatNumeric,
            "point" => FormatPoint,
            _ => null,
        };

        // box is the one built-in type whose array elements are separated by ';' (typdelim).
        var delimiter = baseType == "box" ? ';' : ',';
        return isArray && (element is not null || delimiter != ',')
            ? value => value is IReadOnlyList<object?> list ? FormatArray(list, element ?? Format, delimiter) : (element ?? Format)(value)
            : element ?? Format;
    }

    /// <summary>The value's text, or null for SQL NULL.</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "t" : "f",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        short s => s.ToString(CultureInfo.InvariantCulture),
        sbyte s => s.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        float f => FormatFloat(f),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        ExactDecimal d => d.ToString(),
        byte[] bytes => string.Concat("\\x", Convert.ToHexStringLower(bytes)),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
        ExtendedTemporal t => t.ToString(),
        TimeSpan t => FormatTimeSpan(t),
        Guid g => g.ToString("D"),
        BitString b => b.Bits,
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText(),
        RowImage or IReadOnlyList<KeyValuePair<object?, object?>> => ToJson(value),
        IReadOnlyList<object?> list => FormatArray(list, Format, ','),
        Unavailable => throw new InvalidOperationException("the TOAST placeholder must never be written"),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary>Canonical text of a key's values, the row's identity in the tombstone table: a JSON array of strings.</summary>
    public static string RowKey(IEnumerable<object?> keyValues)
    {
        if (keyValues is IReadOnlyList<object?> { Count: 1 } one && Format(one[0]) is { } single && IsPlainJson(single))
        {
            // The usual key, one plain value: the same text as below, without a builder.
            return string.Concat("[\"", single, "\"]");
        }

        // Fast path for the usual key (numbers, plain ASCII): the same text Utf8JsonWriter writes, without it.
        var fast = new StringBuilder("[");
        foreach (var value in keyValues)
        {
            var text = Format(value);
            if (text is null || !IsPlainJson(text))
            {
                return RowKeyEscaped(keyValues);
            }

            fast.Append(fast.Length == 1 ? "\"" : ",\"").Append(text).Append('"');
        }

        return fast.Append(']').ToString();
    }

    private static bool IsPlainJson(string text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or ':' or ' ' or '_' or '@' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    private static string RowKeyEscaped(IEnumerable<object?> keyValues)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in keyValues)
            {
                writer.WriteStringValue(Format(value));
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string FormatFloat(double d) =>
        double.IsNaN(d) ? "NaN"
        : double.IsPositiveInfinity(d) ? "Infinity"
        : double.IsNegativeInfinity(d) ? "-Infinity"
        : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary><c>[-]H:MM:SS.ffffff</c>: valid input for both <c>time</c> and <c>interval</c>.</summary>
    private static string FormatTimeSpan(TimeSpan t)
    {
        var sign = t < TimeSpan.Zero ? "-" : "";
        var abs = t.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{(long)abs.TotalHours}:{abs.Minutes:D2}:{abs.Seconds:D2}.{abs.Ticks % TimeSpan.TicksPerSecond / 10:D6}");
    }

    private static string FormatArray(IReadOnlyList<object?> list, Func<object?, string?> format, char delimiter)
    {
        var text = new StringBuilder("{");
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                text.Append(delimiter);
            }

            if (list[i] is IReadOnlyList<object?> inner)
            {
                text.Append(FormatArray(inner, format, delimiter));
                continue;
            }

            var element = format(list[i]);
            if (element is null)
            {
                text.Append("NULL");
                continue;
            }

            AppendQuoted(text, element);
        }

        return text.Append('}').ToString();
    }

    private static string? FormatBit(object? value) => value switch
    {
        bool b => b ? "1" : "0",
        _ => Format(value),
    };

    private static string? FormatVarbit(object? value) => value switch
    {
        BitString { Exact: true } bits => bits.Bits,
        BitString bits => bits.Bits.TrimStart('0'),
        _ => FormatBit(value),
    };

    // Debezium's io.debezium.data.geometry.Point struct as point input: (x,y).
    private static string? FormatPoint(object? value) => value switch
    {
        RowImage point when point.TryGet("x", out var x) && point.TryGet("y", out var y) => $"({Format(x.Value)},{Format(y.Value)})",
        _ => Format(value),
    };

    private static string? FormatNumeric(object? value) => value switch
    {
        string text => SpecialDecimal.ToPostgres(text) ?? text,
        _ => Format(value),
    };

    /// <summary>
    /// hstore input syntax (<c>"k"=&gt;"v", "n"=&gt;NULL</c>) from Debezium's JSON object text or a decoded map.
    /// Text that is not a JSON object is passed through (it may already be hstore text).
    /// </summary>
    private static string? FormatHstore(object? value)
    {
        switch (value)
        {
            case IReadOnlyList<KeyValuePair<object?, object?>> map:
                return Hstore(map.Select(e => (Format(e.Key) ?? "", HstoreValue(e.Value))));
            case string text when text.TrimStart().StartsWith('{'):
                try
                {
                    using var document = JsonDocument.Parse(text);
                    if (document.RootElement.ValueKind == JsonValueKind.Object)
                    {
                        return Hstore(document.RootElement.EnumerateObject().Select(p => (p.Name, HstoreValue(p.Value))));
                    }
                }
                catch (JsonException)
                {
                    // Not JSON: let the column's input function judge the text.
                }

                return text;
            default:
                return Format(value);
        }
    }

    private static string? HstoreValue(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        _ => Format(value),
    };

    private static string Hstore(IEnumerable<(string Key, string? Value)> entries)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in entries)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            AppendQuoted(text, key);
            text.Append("=>");
            if (value is null)
            {
                text.Append("NULL");
            }
            else
            {
                AppendQuoted(text, value);
            }
        }

        return text.ToString();
    }

    /// <summary>Double-quoted with <c>"</c> and <c>\</c> backslash-escaped: array element and hstore syntax alike.</summary>
    private static void AppendQuoted(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        text.Append('"');
    }

    /// <summary>Lower-case base name of a <c>format_type()</c> text without modifiers, schema or quotes, and whether it is an array.</summary>
    private static (string BaseType, bool IsArray) BaseType(string pgType)
    {
        var text = pgType.Trim();
        var isArray = false;
        while (text.EndsWith("[]", StringComparison.Ordinal))
        {
            text = text[..^2].TrimEnd();
            isArray = true;
        }

        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = open < 0 ? -1 : text.IndexOf(')', open);
        if (close > open)
        {
            text = text[..open] + text[(close + 1)..];
        }

        text = text.Replace("\"", "", StringComparison.Ordinal).Trim();
        var dot = text.LastIndexOf('.');
        return (string.Join(' ', text[(dot + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant(), isArray);
    }

    private static string ToJson(object value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case short or int or long or sbyte or ExactDecimal or decimal:
                writer.WriteRawValue(Format(value)!);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case JsonElement e:
                e.WriteTo(writer);
                break;
            case RowImage row:
                writer.WriteStartObject();
                foreach (var column in row)
                {
                    writer.WritePropertyName(column.Name);
                    WriteJson(writer, column.Value);
                }

                writer.WriteEndObject();
                break;
            case IReadOnlyList<KeyValuePair<object?, object?>> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(Format(key) ?? "");
                    WriteJson(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IReadOnlyList<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Format(value));
                break;
        }
    }
}
