using System.Globalization;
using Cdc.Capture.Configuration;
using Cdc.Schemas.Connect;

namespace Cdc.Capture.Source;

/// <summary>
/// Debezium's <c>decimal.handling.mode</c> for <c>numeric</c>/<c>decimal</c> (and <c>money</c>) columns other than
/// <c>precise</c>: <c>string</c> writes the exact digits as a string, <c>double</c> a float64. Both carry NaN and
/// ±Infinity, which <c>precise</c> cannot (such rows are then skipped and recorded: docs/design.md#no-silent-loss), so
/// switching a connector to one of them is the way forward for a table holding them; it needs no new slot.
/// </summary>
internal static class DecimalModes
{
    /// <returns>The column's schema and conversion in <paramref name="mode"/>, or null when the type mapping's applies.</returns>
    public static (ConnectSchema Schema, Func<string, object?> Convert)? Column(CaptureDecimalMode mode, string pgType)
    {
        var name = pgType.Split('(')[0].Trim();
        if (mode == CaptureDecimalMode.Precise || name is not ("numeric" or "decimal" or "money"))
        {
            return null;
        }

        return mode == CaptureDecimalMode.String
            ? (new ConnectSchema { Type = ConnectType.String }, text => Special(text) ?? Plain(text))
            : (new ConnectSchema { Type = ConnectType.Float64 }, text => double.Parse(Plain(text), NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>Debezium's names of the special values in string mode (its <c>SpecialValueDecimal</c>).</summary>
    private static string? Special(string text) => text switch
    {
        "NaN" => "NAN",
        "Infinity" => "POSITIVE_INFINITY",
        "-Infinity" => "NEGATIVE_INFINITY",
        _ => null,
    };

    /// <summary>money's text (<c>$1,234.50</c>) without the currency sign and group separators; numeric's as is.</summary>
    private static string Plain(string text) =>
        text.Contains('$', StringComparison.Ordinal) || text.Contains(',', StringComparison.Ordinal)
            ? text.Replace("$", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal)
            : text;
}
