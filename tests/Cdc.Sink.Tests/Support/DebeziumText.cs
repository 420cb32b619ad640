using System.Globalization;
using System.Text;

namespace Cdc.Sink.Tests.Support;

/// <summary>
/// Debezium JsonConverter messages (schemas disabled) for an <c>orders(id bigint, status text, qty int)</c> table,
/// shaped exactly as Debezium 3.x writes them.
/// </summary>
internal static class DebeziumText
{
    public static byte[] Key(long id) => Encoding.UTF8.GetBytes($$"""{"id":{{id}}}""");

    /// <param name="version">Commit order: sequence becomes <c>["version*10", "version*10+1"]</c>.</param>
    public static byte[] Change(char op, long id, long version, string? status = null, int qty = 0)
    {
        var row = $$"""{"id":{{id}},"status":{{Json(status)}},"qty":{{qty}}}""";
        var key = $$"""{"id":{{id}}}""";
        var (before, after) = op switch
        {
            'd' => (key, "null"),
            _ => ("null", row),
        };
        var commit = (version * 10).ToString(CultureInfo.InvariantCulture);
        var lsn = ((version * 10) + 1).ToString(CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes($$"""
            {"before":{{before}},"after":{{after}},"source":{"version":"3.0.7.Final","connector":"postgresql","name":"shop","ts_ms":1700000000000,"snapshot":"false","db":"shop","sequence":"[\"{{commit}}\",\"{{lsn}}\"]","ts_us":1700000000000000,"ts_ns":1700000000000000000,"schema":"public","table":"orders","txId":{{version}},"lsn":{{lsn}},"xmin":null},"transaction":null,"op":"{{op}}","ts_ms":1700000000001,"ts_us":1700000000001000,"ts_ns":1700000000001000000}
            """);
    }

    private static string Json(string? text) =>
        text is null ? "null" : System.Text.Json.JsonSerializer.Serialize(text);
}
