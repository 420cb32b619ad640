using Cdc.Benchmarks.Sink;
using Npgsql;

namespace Cdc.Cli.Demo;

/// <summary>
/// Reads a subsystem's whole <c>public.orders</c> and compares it row for row with the workload's final state,
/// the way the subsystem maps it: a store without <c>note</c> is compared without it, and a soft-deleting store must
/// hold every deleted order flagged <c>_cdc_deleted</c> (a hard-deleting one must not hold it at all).
/// </summary>
internal static class StoreComparer
{
    public static async Task<StoreComparison> CompareAsync(Subsystem subsystem, OrderWorkload primary, CancellationToken ct)
    {
        var mapping = subsystem.Mapping;
        var note = mapping.HasNote ? "note" : "NULL::text";
        var deleted = mapping.Soft ? "_cdc_deleted" : "false";
        await using var command = subsystem.Database.DataSource.CreateCommand(
            $"SELECT id, status, qty, amount, (extract(epoch FROM updated_at) * 1000000)::bigint, {note}, {deleted} FROM public.{SubsystemMapping.Table}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var expected = primary.Final;
        long live = 0, softDeleted = 0, matching = 0, extra = 0, different = 0;
        var seenLive = 0L;
        var seenDeleted = 0L;
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            if (reader.GetBoolean(6))
            {
                softDeleted++;
                if (primary.Deleted.Contains(id))
                {
                    matching++;
                    seenDeleted++;
                }
                else if (expected.ContainsKey(id))
                {
                    different++;
                    seenLive++;
                }
                else
                {
                    extra++;
                }

                continue;
            }

            live++;
            if (!expected.TryGetValue(id, out var row))
            {
                extra++;
                continue;
            }

            seenLive++;
            if (Same(reader, row, mapping.HasNote))
            {
                matching++;
            }
            else
            {
                different++;
            }
        }

        var missing = expected.Count - seenLive + (mapping.Soft ? primary.Deleted.Count - seenDeleted : 0);
        return new StoreComparison(live, softDeleted, matching, missing, extra, different);
    }

    private static bool Same(NpgsqlDataReader reader, OrderRow row, bool hasNote) =>
        !reader.IsDBNull(1) && reader.GetString(1) == row.Status
        && !reader.IsDBNull(2) && reader.GetInt32(2) == row.Qty
        && !reader.IsDBNull(3) && reader.GetDecimal(3) == row.AmountCents / 100m
        && !reader.IsDBNull(4) && reader.GetInt64(4) == row.UpdatedAtMicros
        && (!hasNote || (!reader.IsDBNull(5) && reader.GetString(5) == row.Note));
}
