using System.Text;
using System.Text.Json;
using Cdc.Common.Postgres;
using Cdc.Reconciler.Schema;

namespace Cdc.Reconciler.Repair;

/// <summary>
/// Debezium <c>execute-snapshot</c> signal payloads that re-stream exactly the given rows: an incremental snapshot of
/// the table with an <c>additional-conditions</c> filter on its primary key. Identifiers are quoted, values are SQL
/// string literals (quotes doubled), and the key set is split so each payload fits the signal table's
/// <c>data varchar(2048)</c>.
/// </summary>
public static class SignalFilter
{
    public const int MaxDataLength = 2048;

    /// <param name="keys">Key values as text, in <paramref name="keyColumns"/> order.</param>
    public static List<string> Payloads(TableName table, IReadOnlyList<string> keyColumns, IEnumerable<IReadOnlyList<string>> keys)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keyColumns);
        ArgumentNullException.ThrowIfNull(keys);
        var columns = keyColumns.Count == 1 ? PgIdentifier.Quote(keyColumns[0]) : $"({string.Join(", ", keyColumns.Select(PgIdentifier.Quote))})";
        var payloads = new List<string>();
        var tuples = new List<string>();
        foreach (var key in keys)
        {
            var tuple = key.Count == 1 ? Literal(key[0]) : $"({string.Join(", ", key.Select(Literal))})";
            if (tuples.Count > 0 && Payload(table, columns, [.. tuples, tuple]).Length > MaxDataLength)
            {
                payloads.Add(Payload(table, columns, tuples));
                tuples.Clear();
            }

            tuples.Add(tuple);
            if (Payload(table, columns, tuples).Length > MaxDataLength)
            {
                throw new ArgumentException($"the key {string.Join(",", key)} alone does not fit a {MaxDataLength}-character signal", nameof(keys));
            }
        }

        if (tuples.Count > 0)
        {
            payloads.Add(Payload(table, columns, tuples));
        }

        return payloads;
    }

    public static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

    private static string Payload(TableName table, string columns, IReadOnlyList<string> tuples)
    {
        var collection = table.ToString();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data-collections");
            writer.WriteStringValue(collection);
            writer.WriteEndArray();
            writer.WriteString("type", "incremental");
            writer.WriteStartArray("additional-conditions");
            writer.WriteStartObject();
            writer.WriteString("data-collection", collection);
            writer.WriteString("filter", $"{columns} IN ({string.Join(", ", tuples)})");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
