using System.Text;
using System.Text.Json;
using Cdc.Reconciler.Consistency;

namespace Cdc.Reconciler.Reporting;

/// <summary>The machine-readable result of <c>--json</c>.</summary>
public static class ResultJson
{
    public static string Write(ReconcileResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("run_id", result.RunId);
            json.WriteString("state", Names.Of(result.State));
            json.WriteNumber("exit_code", result.ExitCode);
            json.WriteBoolean("lagging", result.Lagging);
            if (result.Consistency is { } point)
            {
                json.WriteString("consistency_lsn", ConsistencyPoint.FormatLsn(point.Lsn));
                json.WriteString("consistency", point.Detail);
            }

            json.WriteString("error", result.Error);
            json.WriteNumber("rows_compared", result.RowsCompared);
            json.WriteNumber("rows_transferred", result.RowsTransferred);
            json.WriteNumber("duration_seconds", Math.Round(result.Duration.TotalSeconds, 3));
            json.WriteStartArray("tables");
            foreach (var table in result.Tables)
            {
                WriteTable(json, table);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteTable(Utf8JsonWriter json, TableResult table)
    {
        json.WriteStartObject();
        json.WriteString("table", table.Table);
        json.WriteString("store_table", table.StoreTable);
        json.WriteString("refusal", table.Refusal);
        json.WriteStartArray("skipped_columns");
        table.Skipped.ForEach(json.WriteStringValue);
        json.WriteEndArray();
        json.WriteNumber("rows_compared", table.RowsCompared);
        json.WriteNumber("missing", table.Missing);
        json.WriteNumber("extra", table.Extra);
        json.WriteNumber("divergent", table.Divergent);
        json.WriteNumber("transient", table.Transient);
        json.WriteNumber("still_changing", table.StillChanging);
        json.WriteNumber("repaired", table.Repaired);
        json.WriteNumber("unrepaired", table.Unrepaired);
        json.WriteStartArray("signals");
        table.Signals.ForEach(json.WriteStringValue);
        json.WriteEndArray();
        json.WriteStartArray("findings");
        foreach (var finding in table.Findings)
        {
            json.WriteStartObject();
            json.WriteString("kind", Names.Of(finding.Kind));
            json.WriteStartArray("key");
            foreach (var value in finding.KeyValues)
            {
                json.WriteStringValue(value);
            }

            json.WriteEndArray();
            json.WriteStartArray("columns");
            foreach (var column in finding.Columns)
            {
                json.WriteStringValue(column);
            }

            json.WriteEndArray();
            json.WriteString("repair", finding.Repair);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
