using Cdc.Reconciler.Heal;
using Cdc.Store.Bookkeeping;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Reconciler.Tests.Bugs;

/// <summary>
/// The heal worker holds its claim for a whole run (a minute under load): it must lock only the heals it runs. It
/// locked every open heal of the group, so a gap found a moment later in another table (or the same one) could not be
/// signalled by the sink (SKIP LOCKED) until the run ended: the chaos run's second retention gap waited 80 s for it.
/// </summary>
public sealed class HealClaimTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_running_heal_leaves_heals_not_due_yet_to_the_sink_to_signal()
    {
        await using var store = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var metadata = new MetadataTables("cdc");
        await metadata.EnsureAsync(store, CancellationToken.None);
        var heals = new HealRequests(metadata);
        Assert.True(heals.Record(store, "g", new StreamGap("shop.public.a", 0, "id-a", 10, 20, StreamGap.LogStartPassed)));
        Assert.True(heals.Record(store, "g", new StreamGap("shop.public.b", 0, "id-b", 10, 20, StreamGap.LogStartPassed)));
        await using (var due = store.CreateCommand("UPDATE cdc.heals SET state = 'signalled', signalled_at = now() - interval '1 minute' WHERE source_table = 'public.a'"))
        {
            await due.ExecuteNonQueryAsync();
        }

        await using var running = await store.OpenConnectionAsync();
        await using var run = await running.BeginTransactionAsync();
        var worker = new HealWorker(new ReconcileOptions(), TextWriter.Null);
        var claimed = await worker.ClaimAsync(running, run, heals, metadata, "g", [], CancellationToken.None);
        Assert.Equal(["public.a"], claimed.Select(h => h.SourceTable));

        // The sink's signaller, while the worker's run holds its claim.
        await using var signalling = await store.OpenConnectionAsync();
        await using var signal = await signalling.BeginTransactionAsync();
        var requested = await heals.ClaimAsync(signalling, signal, "g", [HealRequests.Requested], TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(["public.b"], requested.Select(h => h.SourceTable));
    }
}
