using System.Diagnostics;
using Cdc.Common.Postgres;
using Npgsql;

namespace Cdc.DevKit;

/// <summary>
/// Drops the replication slot and publication a local run (demo, benchmark, chaos, a test) created. An abandoned slot
/// keeps every WAL segment from its restart LSN on, until the server's disk is full: whatever creates one drops it when
/// it finishes or fails.
/// </summary>
public static class ReplicationCleanup
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Drops <paramref name="slot"/> and, in the database of <paramref name="connectionString"/>,
    /// <paramref name="publication"/>; either may be gone already. A slot still held by a walsender whose connector
    /// stopped or was killed is freed by ending that backend, so call this only once the connector is stopped. Runs on
    /// unpooled connections: the server may have restarted under the caller's pool.
    /// </summary>
    /// <returns>Whether the slot existed and was dropped.</returns>
    /// <exception cref="TimeoutException">The slot stayed in use for 30 s.</exception>
    public static async Task<bool> DropAsync(string connectionString, string slot, string? publication, CancellationToken ct = default)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(unpooled);
        try
        {
            await connection.OpenAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // The database is gone, and with it its publication; a logical slot would have kept it from being dropped.
            return false;
        }

        var dropped = await DropSlotAsync(connection, slot, ct);
        if (publication is not null)
        {
            await using var command = new NpgsqlCommand($"DROP PUBLICATION IF EXISTS {PgIdentifier.Quote(publication)}", connection);
            await command.ExecuteNonQueryAsync(ct);
        }

        return dropped;
    }

    /// <summary>
    /// <see cref="DropAsync"/> for a run that is ending: says what it dropped on <paramref name="log"/>, and when it
    /// cannot drop the slot, says so with the SQL that does it instead of failing the run.
    /// </summary>
    public static async Task DropOrWarnAsync(string connectionString, string slot, string? publication, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        try
        {
            if (await DropAsync(connectionString, slot, publication))
            {
                await log.WriteLineAsync($"replication slot {slot}{(publication is null ? "" : $" and publication {publication}")} dropped");
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await log.WriteLineAsync(
                $"WARNING: could not drop replication slot {slot} ({e.Message}); it keeps WAL on the server until dropped: "
                + $"SELECT pg_drop_replication_slot('{slot}')");
        }
    }

    private static async Task<bool> DropSlotAsync(NpgsqlConnection connection, string slot, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var drop = new NpgsqlCommand(
                    "SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name = $1", connection);
                drop.Parameters.Add(new() { Value = slot });
                return (long)(await drop.ExecuteScalarAsync(ct))! > 0;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && waited.Elapsed < Patience)
            {
                // Still active: the stopped connector's walsender has not noticed yet.
                await using var end = new NpgsqlCommand(
                    "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL", connection);
                end.Parameters.Add(new() { Value = slot });
                await end.ExecuteNonQueryAsync(ct);
                await Task.Delay(100, ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse)
            {
                throw new TimeoutException($"replication slot {slot} stayed in use for {Patience.TotalSeconds:0} s", e);
            }
        }
    }
}
