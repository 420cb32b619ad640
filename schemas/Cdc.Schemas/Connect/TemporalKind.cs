namespace Cdc.Schemas.Connect;

/// <summary>Which PostgreSQL type an <see cref="ExtendedTemporal"/> is a value of.</summary>
public enum TemporalKind
{
    /// <summary><c>date</c>: Debezium's <c>io.debezium.time.Date</c> (days since 1970-01-01).</summary>
    Date,

    /// <summary><c>timestamp</c>: <c>Timestamp</c>/<c>MicroTimestamp</c>/<c>NanoTimestamp</c> (time since 1970-01-01 00:00).</summary>
    Timestamp,

    /// <summary><c>timestamptz</c>: <c>ZonedTimestamp</c> (ISO-8601 text in UTC).</summary>
    ZonedTimestamp,
}
