using Cdc.Reconciler.Consistency;
using Cdc.Reconciler.Tests.Support;
using Cdc.Sink.Configuration;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Reconciler.Tests;

[Collection(AloneCollection.Name)]
public sealed class WalPositionTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const long Block = 8192;
    private const long Segment = 16 * 1024 * 1024;

    [Theory]
    [InlineData((3 * Block) + 24, 3 * Block)]
    [InlineData((2 * Segment) + 40, 2 * Segment)]
    [InlineData((3 * Block) + 32, (3 * Block) + 32)]
    [InlineData(3 * Block, 3 * Block)]
    public void A_position_just_past_a_page_header_is_the_page_boundary(long insert, long end) =>
        Assert.Equal(end, WalPosition.EndOfInserted(insert, Block, Segment));

    [Fact]
    public async Task When_the_last_record_ends_on_a_page_boundary_the_position_is_that_boundary_which_the_flush_reaches()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        var waiter = new ConsistencyWaiter(bed.Primary, bed.Store, new SinkOptions(), bed.Options(), TimeProvider.System);
        // The server's own background writes can come between: try until a record of ours ends a page and nothing followed it.
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var boundary = await EndAPageAsync(bed.Primary);
            if (boundary is null)
            {
                continue;
            }

            var raw = await LsnAsync(bed.Primary, "pg_current_wal_insert_lsn()");
            var position = await waiter.PositionAsync(CancellationToken.None);
            if (await LsnAsync(bed.Primary, "pg_current_wal_insert_lsn()") != raw || raw <= boundary)
            {
                continue;
            }

            Assert.Equal(boundary, position);
            await Wait.UntilAsync(async () => await LsnAsync(bed.Primary, "pg_current_wal_flush_lsn()") >= position, TimeSpan.FromSeconds(10), "the WAL flush to reach the position");
            return;
        }

        Assert.Fail("no attempt ended a WAL page with nothing after it (the cluster never stood still for one record)");
    }

    /// <summary>Emits one logical message sized to end exactly at the current page's end; its end, or null when it did not.</summary>
    private static async Task<long?> EndAPageAsync(NpgsqlDataSource primary)
    {
        const int Probe = 1000;
        var start = await LsnAsync(primary, "pg_current_wal_insert_lsn()");
        // The record's size is its payload plus a fixed overhead rounded up to 8 bytes: measured, within 8 bytes.
        var overhead = await EmitAsync(primary, Probe) - start - Probe;
        var here = await LsnAsync(primary, "pg_current_wal_insert_lsn()");
        var left = Block - (here % Block);
        if (left < overhead + 300)
        {
            await EmitAsync(primary, 300);
            return null;
        }

        var end = await EmitAsync(primary, (int)(left - overhead));
        return end % Block == 0 ? end : null;
    }

    private static async Task<long> EmitAsync(NpgsqlDataSource primary, int bytes)
    {
        await using var command = primary.CreateCommand("SELECT (pg_logical_emit_message(false, 'cdc-test', repeat('x', $1)) - '0/0'::pg_lsn)::bigint");
        command.Parameters.Add(new NpgsqlParameter { Value = bytes });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> LsnAsync(NpgsqlDataSource primary, string function)
    {
        await using var command = primary.CreateCommand($"SELECT ({function} - '0/0'::pg_lsn)::bigint");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
