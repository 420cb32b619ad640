using System.Globalization;
using System.Text;
using System.Text.Json;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;

namespace Cdc.Sink.Store;

/// <summary>
/// Renders decoded values in PostgreSQL's text input syntax; the server casts them to the column's type.
/// Exact by construction: decimals stay digit strings, timestamps keep microseconds.
/// </summary>
public static class PgText
{
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
        TimeSpan t => FormatTimeSpan(t),
        Guid g => g.ToString("D"),
        BitString b => b.Bits,
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText(),
        RowImage or IReadOnlyList<KeyValuePair<object?, object?>> => ToJson(value),
        IReadOnlyList<object?> list => FormatArray(list),
        Unavailable => throw new InvalidOperationException("the TOAST placeholder must never be written"),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary>Canonical text of a key's values, the row's identity in the tombstone table: a JSON array of strings.</summary>
    public static string RowKey(IEnumerable<object?> keyValues)
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

    private static string FormatArray(IReadOnlyList<object?> list)
    {
        var text = new StringBuilder("{");
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            if (list[i] is IReadOnlyList<object?> inner)
            {
                text.Append(FormatArray(inner));
                continue;
            }

            var element = Format(list[i]);
            if (element is null)
            {
                text.Append("NULL");
                continue;
            }

            text.Append('"');
            foreach (var c in element)
            {
                if (c is '"' or '\\')
                {
                    text.Append('\\');
                }

                text.Append(c);
            }

            text.Append('"');
        }

        return text.Append('}').ToString();
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
