using System.Globalization;

namespace Cdc.Common.Postgres;

/// <summary>PostgreSQL's <c>pg_lsn</c> text (<c>16/B374D848</c>) and the 64-bit number Debezium writes for it.</summary>
public static class PgLsn
{
    public static string Format(long lsn) => $"{(ulong)lsn >> 32:X}/{(ulong)lsn & 0xFFFFFFFF:X}";

    /// <summary>Reads <c>16/B374D848</c> or a decimal number.</summary>
    public static bool TryParse(string? text, out long lsn)
    {
        lsn = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out lsn) && lsn >= 0;
        }

        if (!uint.TryParse(text.AsSpan(0, slash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
            || !uint.TryParse(text.AsSpan(slash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        lsn = (long)(((ulong)high << 32) | low);
        return lsn >= 0;
    }
}
