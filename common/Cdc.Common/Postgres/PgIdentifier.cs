using System.Text;

namespace Cdc.Common.Postgres;

/// <summary>
/// Quotes PostgreSQL identifiers. Table and column names arrive in events and configuration: they are data, so every
/// one is quoted and none is ever concatenated into SQL unquoted (docs/design.md#invariant-8-identifiers-are-data).
/// </summary>
public static class PgIdentifier
{
    /// <summary>PostgreSQL's NAMEDATALEN - 1: longer names are silently truncated by the server.</summary>
    public const int MaxBytes = 63;

    /// <summary><c>"name"</c> with embedded quotes doubled.</summary>
    /// <exception cref="ArgumentException">Empty, longer than 63 bytes, or containing NUL.</exception>
    public static string Quote(string name)
    {
        Validate(name);
        return string.Concat("\"", name.Replace("\"", "\"\"", StringComparison.Ordinal), "\"");
    }

    /// <summary><c>"schema"."name"</c>.</summary>
    public static string Quote(string schema, string name) => $"{Quote(schema)}.{Quote(name)}";

    public static void Validate(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("an identifier cannot be empty", nameof(name));
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"identifier '{name.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character", nameof(name));
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxBytes)
        {
            throw new ArgumentException($"identifier '{name}' is longer than {MaxBytes} bytes; PostgreSQL would truncate it", nameof(name));
        }
    }
}
