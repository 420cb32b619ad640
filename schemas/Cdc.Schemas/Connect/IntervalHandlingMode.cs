namespace Cdc.Schemas.Connect;

/// <summary>Debezium's <c>interval.handling.mode</c>: how <c>interval</c> values travel.</summary>
public enum IntervalHandlingMode
{
    /// <summary>
    /// <c>io.debezium.time.MicroDuration</c>: microseconds, a month counted as 365.25/12 days. Approximate: an
    /// interval with months or days does not come back as it was.
    /// </summary>
    Numeric,

    /// <summary>
    /// <c>io.debezium.time.Interval</c>: <c>P&lt;y&gt;Y&lt;m&gt;M&lt;d&gt;DT&lt;h&gt;H&lt;m&gt;M&lt;s&gt;S</c>, which keeps
    /// months, days and microseconds apart, as PostgreSQL does. Exact.
    /// </summary>
    String,
}
