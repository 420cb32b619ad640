using System.Buffers.Binary;
using System.Globalization;
using Cdc.Schemas.Model;

namespace Cdc.Schemas.Connect.Internal.Text;

/// <summary>Booleans, integers, floats, bytea, uuid, bit strings, point and plain text from PostgreSQL output text.</summary>
internal static class PgScalarText
{
    public static readonly Func<string, object> Text = static text => text;

    // The output function prints t/f; a ::text cast true/false.
    public static readonly Func<string, object> Boolean = static text => text switch
    {
        "t" or "true" => true,
        "f" or "false" => false,
        _ => throw new ValueDecodeError("expected t or f"),
    };

    // bit(1) / bit varying(1): Debezium's Integer.valueOf(text, 2) != 0.
    public static readonly Func<string, object> SingleBit = static text => text switch
    {
        "1" => true,
        "0" or "" => false,
        _ => throw new ValueDecodeError("expected a single bit 0 or 1"),
    };

    public static readonly Func<string, object> Int8 = static text => (short)sbyte.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public static readonly Func<string, object> Int16 = static text => short.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public static readonly Func<string, object> Int32 = static text => int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public static readonly Func<string, object> Int64 = static text => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    // Java's Float.parseFloat/Double.parseDouble and .NET's parsers both round correctly: same bits.
    public static readonly Func<string, object> Float32 = static text => Special(text, out var special)
        ? (float)special
        : float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static readonly Func<string, object> Float64 = static text => Special(text, out var special)
        ? special
        : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static readonly Func<string, object> Uuid = static text => Guid.TryParseExact(text, "D", out var guid)
        ? guid
        : throw new ValueDecodeError("not a uuid");

    /// <summary><c>bytea_output=hex</c> text, <c>\x0a1b…</c>.</summary>
    public static readonly Func<string, object> Bytea = static text =>
    {
        if (!text.StartsWith("\\x", StringComparison.Ordinal))
        {
            throw new ValueDecodeError("expected bytea hex format \\x... (set bytea_output = hex)");
        }

        return Convert.FromHexString(text.AsSpan(2));
    };

    /// <summary>
    /// A bit string as Debezium sends it (BitSet bytes) and the decoders read it back (padded to the declared length),
    /// or, when <paramref name="exact"/>, as the text itself (<see cref="BitString.Exact"/>: a <c>bit varying</c>'s own length).
    /// </summary>
    public static object Bits(string text, string? lengthParameter, bool exact = false)
    {
        foreach (var c in text)
        {
            if (c is not ('0' or '1'))
            {
                throw new ValueDecodeError("expected a bit string of 0s and 1s");
            }
        }

        return exact ? new BitString(text) { Exact = true } : BitsDecoder.Decode(BitsDecoder.Encode(text), lengthParameter);
    }

    /// <summary>
    /// <c>(x,y)</c> as Debezium's <c>io.debezium.data.geometry.Point</c>: x, y, the WKB point (byte order 1, type 1,
    /// little-endian doubles) and no srid.
    /// </summary>
    public static object Point(string text, ConnectSchema schema)
    {
        var inner = text.AsSpan().Trim();
        if (inner.Length < 5 || inner[0] != '(' || inner[^1] != ')')
        {
            throw new ValueDecodeError("expected a point (x,y)");
        }

        inner = inner[1..^1];
        var comma = inner.IndexOf(',');
        if (comma < 0)
        {
            throw new ValueDecodeError("expected a point (x,y)");
        }

        var x = (double)Float64(inner[..comma].Trim().ToString());
        var y = (double)Float64(inner[(comma + 1)..].Trim().ToString());
        var wkb = new byte[21];
        wkb[0] = 1;
        BinaryPrimitives.WriteInt32LittleEndian(wkb.AsSpan(1), 1);
        BinaryPrimitives.WriteDoubleLittleEndian(wkb.AsSpan(5), x);
        BinaryPrimitives.WriteDoubleLittleEndian(wkb.AsSpan(13), y);
        var columns = new Column[schema.Fields.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var field = schema.Fields[i];
            object? value = field.Name switch
            {
                "x" => x,
                "y" => y,
                "wkb" => wkb,
                _ => null,
            };
            columns[i] = new Column(field.Name, value, field.Schema);
        }

        return new RowImage(columns, owned: true);
    }

    private static bool Special(string text, out double value)
    {
        value = text switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => 0,
        };
        return value != 0 || double.IsNaN(value);
    }
}
