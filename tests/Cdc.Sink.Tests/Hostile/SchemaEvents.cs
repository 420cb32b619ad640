using System.Globalization;
using System.Text;

namespace Cdc.Sink.Tests.Hostile;

/// <summary>A column of a <see cref="SchemaEvents"/> event: its Connect schema and its value, each as JsonConverter writes them.</summary>
internal sealed record Field(string Name, string Schema, string Value);

/// <summary>
/// Debezium create events as JsonConverter writes them with <c>schemas.enable=true</c>, for any table and columns
/// (an <c>id int64</c> key first), so a test can change a column's schema from one event to the next.
/// </summary>
internal static class SchemaEvents
{
    private const string Source = """
        {"type":"struct","optional":false,"name":"io.debezium.connector.postgresql.Source","field":"source","fields":[
          {"type":"string","optional":false,"field":"version"},{"type":"string","optional":false,"field":"connector"},
          {"type":"string","optional":false,"field":"name"},{"type":"int64","optional":false,"field":"ts_ms"},
          {"type":"string","optional":true,"name":"io.debezium.data.Enum","field":"snapshot"},{"type":"string","optional":false,"field":"db"},
          {"type":"string","optional":true,"field":"sequence"},{"type":"string","optional":false,"field":"schema"},
          {"type":"string","optional":false,"field":"table"},{"type":"int64","optional":true,"field":"txId"},{"type":"int64","optional":true,"field":"lsn"}]}
        """;

    public static byte[] Key(long id) => Encoding.UTF8.GetBytes(
        $$$"""{"schema":{"type":"struct","optional":false,"name":"k.Key","fields":[{"type":"int64","optional":false,"field":"id"}]},"payload":{"id":{{{id}}}}}""");

    /// <param name="version">Commit order: sequence <c>["version*10","version*10+1"]</c>.</param>
    public static byte[] Create(string table, long id, long version, params Field[] fields)
    {
        var columns = string.Join(",", fields.Select(f => f.Schema.TrimEnd()[..^1] + $$""","field":{{Json(f.Name)}}}"""));
        var row = $$"""{"type":"struct","optional":true,"name":{{Json($"p.public.{table}.Value")}},"fields":[{"type":"int64","optional":false,"field":"id"},{{columns}}]""";
        var values = string.Concat(fields.Select(f => $",{Json(f.Name)}:{f.Value}"));
        var commit = (version * 10).ToString(CultureInfo.InvariantCulture);
        var lsn = ((version * 10) + 1).ToString(CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes($$"""
            {"schema":{"type":"struct","optional":false,"name":{{Json($"p.public.{table}.Envelope")}},"fields":[
              {{row}},"field":"before"},{{row}},"field":"after"},{{Source}},{"type":"string","optional":false,"field":"op"},{"type":"int64","optional":true,"field":"ts_ms"}]},
             "payload":{"before":null,"after":{"id":{{id}}{{values}}},
              "source":{"version":"3.0.7.Final","connector":"postgresql","name":"p","ts_ms":1700000000000,"snapshot":"false","db":"shop",
                "sequence":"[\"{{commit}}\",\"{{lsn}}\"]","schema":"public","table":{{Json(table)}},"txId":{{version}},"lsn":{{lsn}}},
              "op":"c","ts_ms":1700000000001}
            """ + "}");
    }

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
