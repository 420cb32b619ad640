using System.Text.Json;

namespace Cdc.Schemas.Connect;

/// <summary>
/// Turns JsonConverter values into the .NET values every decoder hands the sink:
/// <list type="table">
/// <item><term>boolean</term><description><see cref="bool"/></description></item>
/// <item><term>int8, int16 / int32 / int64</term><description><see cref="short"/> / <see cref="int"/> / <see cref="long"/></description></item>
/// <item><term>float / double</term><description><see cref="float"/> / <see cref="double"/> (NaN and infinities allowed)</description></item>
/// <item><term>string</term><description><see cref="string"/> (also Json, Enum, Uuid-less strings, ZonedTime, Interval, Xml, Ltree...)</description></item>
/// <item><term>bytes</term><description><see cref="byte"/>[] (base64 in JSON)</description></item>
/// <item><term>array</term><description><see cref="IReadOnlyList{T}"/> of object?</description></item>
/// <item><term>map</term><description><see cref="IReadOnlyList{T}"/> of <see cref="KeyValuePair{TKey,TValue}"/> of object?</description></item>
/// <item><term>struct</term><description><see cref="Model.RowImage"/></description></item>
/// <item><term>Decimal, VariableScaleDecimal</term><description><see cref="ExactDecimal"/></description></item>
/// <item><term>io.debezium.time.Date, connect Date</term><description><see cref="DateOnly"/></description></item>
/// <item><term>Time, MicroTime, NanoTime, connect Time</term><description><see cref="TimeSpan"/> since midnight</description></item>
/// <item><term>Timestamp, MicroTimestamp, NanoTimestamp, connect Timestamp</term><description><see cref="DateTime"/>, kind Unspecified</description></item>
/// <item><term>ZonedTimestamp</term><description><see cref="DateTimeOffset"/></description></item>
/// <item><term>Uuid</term><description><see cref="Guid"/></description></item>
/// <item><term>MicroDuration</term><description><see cref="TimeSpan"/></description></item>
/// <item><term>Bits</term><description><see cref="BitString"/></description></item>
/// </list>
/// The TOAST placeholder (string, base64 bytes, or the array forms of docs/design.md#the-toast-placeholder) becomes
/// <see cref="Model.Unavailable.Value"/>.
/// </summary>
public static partial class ConnectValue
{
    /// <summary>Converts a raw JSON value (a <see cref="JsonElement"/>, or null) according to its schema.</summary>
    /// <exception cref="EventDecodeException">The value does not fit the schema.</exception>
    public static object? FromJson(object? raw, ConnectSchema schema) =>
        raw switch
        {
            null => null,
            JsonElement element => FromJson(element, schema),
            _ => raw,
        };
}
