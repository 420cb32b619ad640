using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// The physical limit: binary COPY of the workload's final rows, in id order, into an empty table shaped like the
/// sink's target (primary key included), in autocommit. Timed from the COPY's start to its completion.
/// </summary>
public static class CopyLoad
{
    public static async Task<CopyResult> RunAsync(BenchDatabase database, IReadOnlyList<OrderRow> rows, CancellationToken ct)
    {
        const string table = "orders_copy";
        await database.ExecuteAsync($"DROP TABLE IF EXISTS public.{table}; {OrdersTable.Create(table)}", ct);
        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        var started = Stopwatch.GetTimestamp();
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY public.{table} (id, status, qty, amount, updated_at, note) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var row in rows)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(row.Id, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(row.Status, NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(row.Qty, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(row.AmountCents / 100m, NpgsqlDbType.Numeric, ct);
                await writer.WriteAsync(DateTime.UnixEpoch.AddTicks(row.UpdatedAtMicros * 10), NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(row.Note, NpgsqlDbType.Text, ct);
            }

            await writer.CompleteAsync(ct);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (count, md5) = await database.ChecksumAsync(table, ct);
        var expected = OrdersTable.Expected(rows.ToDictionary(r => r.Id));
        if (count != expected.Rows || md5 != expected.Md5)
        {
            throw new InvalidOperationException($"COPY wrote {count} rows (md5 {md5}), expected {expected.Rows} (md5 {expected.Md5})");
        }

        return new CopyResult(rows.Count, seconds);
    }
}
