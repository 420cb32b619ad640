namespace Cdc.Capture.Configuration;

/// <summary>Debezium's <c>decimal.handling.mode</c>: how numeric and decimal columns are written.</summary>
public enum CaptureDecimalMode
{
    /// <summary>Connect's Decimal (exact); NaN and ±Infinity cannot be written: such rows are skipped and recorded.</summary>
    Precise,

    /// <summary>A string with the exact digits; NaN and ±Infinity as <c>NAN</c>, <c>POSITIVE_INFINITY</c>, <c>NEGATIVE_INFINITY</c>.</summary>
    String,

    /// <summary>A double (approximate for more than 15 significant digits); NaN and ±Infinity as such.</summary>
    Double,
}
