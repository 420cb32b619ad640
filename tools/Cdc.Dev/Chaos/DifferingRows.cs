using System.Globalization;
using Cdc.Benchmarks.Sink;
using Cdc.Common.Postgres;
using Cdc.Reconciler;
using Npgsql;

namespace Cdc.Dev.Chaos;

/// <summary>
/// The rows a fault's check still found differing, as each side holds them right after the check (the store's with its
/// version columns, the primary's with its current WAL position), so a run that found one can be followed up.
/// </summary>
internal static class DifferingRows
{
    public static async Task<string> DescribeAsync(BenchDatabase primary, BenchDatabase store, IEnumerable<Finding> findings, CancellationToken ct)
    {
        var lines = new List<string>();
        foreach (var finding in findings.Take(12))
        {
            var table = TableName.Parse(finding.Table);
            var keys = await KeyColumnsAsync(primary.DataSource, table, ct);
            var where = string.Join(" AND ", keys.Select((k, i) => $"t.{PgIdentifier.Quote(k)}::text = ${i + 1}"));
            var sql = $"SELECT pg_current_wal_insert_lsn()::text || ' ' || clock_timestamp()::text || ' ' || coalesce((SELECT row_to_json(t)::text FROM {table.Quoted} t WHERE {where}), 'absent')";
            lines.Add($"{finding.Table} {finding.Display}: primary {await RowAsync(primary.DataSource, sql, finding.KeyValues, ct)}; store {await RowAsync(store.DataSource, sql, finding.KeyValues, ct)}");
        }

        return string.Join(" | ", lines);
    }

    /// <summary>The table's key columns on the primary, by the project's one key rule (<see cref="KeyRule"/>), in key order.</summary>
    private static async Task<List<string>> KeyColumnsAsync(NpgsqlDataSource primary, TableName table, CancellationToken ct)
    {
        await using var command = primary.CreateCommand($"""
            SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indexrelid = {KeyRule.IndexOf("to_regclass($1)")} ORDER BY array_position(i.indkey::int2[], a.attnum)
            """);
        command.Parameters.Add(new() { Value = table.Quoted });
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static async Task<string> RowAsync(NpgsqlDataSource source, string sql, IReadOnlyList<string> key, CancellationToken ct)
    {
        await using var command = source.CreateCommand(sql);
        foreach (var value in key)
        {
            command.Parameters.Add(new() { Value = value });
        }

        var row = await command.ExecuteScalarAsync(ct);
        return Convert.ToString(row, CultureInfo.InvariantCulture) ?? "";
    }
}
