namespace Cdc.Schemas.Connect;

/// <summary>Debezium's <c>decimal.handling.mode</c>: how <c>numeric</c>, <c>decimal</c> and <c>money</c> values travel.</summary>
public enum DecimalHandlingMode
{
    /// <summary>
    /// Connect <c>Decimal</c> (unscaled bytes and a scale), <c>VariableScaleDecimal</c> for an unconstrained
    /// <c>numeric</c>. Exact, but <c>NaN</c> and <c>±Infinity</c> have no form: Debezium fails the connector on them.
    /// </summary>
    Precise,

    /// <summary>
    /// The number as text (<c>BigDecimal.toPlainString</c>), scale kept; <c>NaN</c>, <c>Infinity</c> and
    /// <c>-Infinity</c> as <c>NAN</c>, <c>POSITIVE_INFINITY</c> and <c>NEGATIVE_INFINITY</c>. Every value exact.
    /// </summary>
    String,

    /// <summary>A double: NaN and the infinities travel, digits past a double's 15–17 are lost.</summary>
    Double,
}
