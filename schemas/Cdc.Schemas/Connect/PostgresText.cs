using Cdc.Schemas.Connect.Internal;
using Cdc.Schemas.Connect.Internal.Text;

namespace Cdc.Schemas.Connect;

/// <summary>
/// PostgreSQL's text output of a value (what pgoutput sends for a text-format tuple column, and what <c>::text</c>
/// gives) → the .NET value the decoders produce for what Debezium's PostgreSQL connector emits for it
/// (<c>decimal.handling.mode=precise</c>, <c>time.precision.mode=adaptive</c>, <c>interval.handling.mode=numeric</c>,
/// <c>hstore.handling.mode=json</c>, <c>binary.handling.mode=bytes</c>; the table on <see cref="ConnectValue"/>).
/// <para>
/// The text is the type's output function text: pgoutput's text tuple columns, or for a snapshot the column read
/// in text format (or <c>format('%s', col)</c>). Not <c>col::text</c>: that cast trims <c>character(n)</c> padding,
/// which Debezium keeps (booleans printed as true/false by the cast are accepted). An unchanged TOASTed column
/// (pgoutput 'u') has no text: the caller puts <see cref="Model.Unavailable.Value"/> there.
/// </para>
/// <para>
/// The text must come from a session with <c>DateStyle=ISO</c>, <c>IntervalStyle=postgres</c>,
/// <c>extra_float_digits</c> ≥ 1 (PostgreSQL 12+ then prints the shortest exact float), <c>bytea_output=hex</c> and an
/// <c>lc_monetary</c> whose money text uses <c>.</c> for the decimal point and <c>,</c> between groups (C, en_US).
/// <c>TimeZone</c> may be anything: timestamptz/timetz text carries its offset and is normalised to UTC.
/// </para>
/// <para>
/// Values Debezium cannot emit (numeric NaN/±Infinity in precise mode, where the connector fails) and values the
/// decoders cannot hold (BC dates, years past 9999: Debezium's number would make the decoders throw) raise
/// <see cref="EventDecodeException"/>, as does malformed text; nothing is ever silently approximated beyond what
/// Debezium itself does (interval months as 365.25/12 days).
/// </para>
/// </summary>
public static class PostgresText
{
    /// <summary>Converts one value. For many values of the same column, build a <see cref="Converter"/> once.</summary>
    /// <param name="text">The value's text (never the SQL NULL: a null column is simply null, no call needed).</param>
    /// <param name="schema">The column's schema, <see cref="PostgresTypeMapping.SchemaFor"/>(<paramref name="pgType"/>).</param>
    /// <param name="pgType"><c>format_type(atttypid, atttypmod)</c>, e.g. <c>numeric(10,2)</c>, <c>integer[]</c>.</param>
    /// <exception cref="EventDecodeException">The text is not a valid value of the type, or has no Debezium/decoder representation.</exception>
    /// <exception cref="ArgumentException">The schema is not one Debezium gives <paramref name="pgType"/>.</exception>
    public static object? ToConnectValue(string text, ConnectSchema schema, string pgType) => Converter(schema, pgType)(text);

    /// <summary>
    /// The conversion of <see cref="ToConnectValue"/> for one column, with the type analysed once (the hot path of a
    /// capture loop). The returned function is thread-safe and throws <see cref="EventDecodeException"/> like
    /// <see cref="ToConnectValue"/>.
    /// </summary>
    /// <param name="exactBits">
    /// A <c>bit varying</c> (alone or in an array) becomes its exact text (<see cref="BitString.Exact"/>, the capture's
    /// value, whose length goes into the <see cref="BitLengthsHeader"/>) rather than the padded value a decoder reads.
    /// </param>
    /// <exception cref="ArgumentException">The schema is not one Debezium gives <paramref name="pgType"/>.</exception>
    public static Func<string, object?> Converter(ConnectSchema schema, string pgType, bool exactBits = false)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(pgType);
        var convert = PgTextConverters.Create(schema, PgTypeName.Parse(pgType), exactBits);
        return text =>
        {
            ArgumentNullException.ThrowIfNull(text);
            try
            {
                return convert(text);
            }
            catch (Exception error) when (error is ValueDecodeError or FormatException or OverflowException or ArgumentException)
            {
                var problem = error is ValueDecodeError decode ? decode.Describe(null) : error.Message;
                throw new EventDecodeException($"{pgType} text \"{Shorten(text)}\": {problem}", error);
            }
        };
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
