using Cdc.Store.Bookkeeping;
using Cdc.Store.Transactions;
using Cdc.Store.Writes;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Store.Tests;

/// <summary>
/// A transaction's events are counted with the batch that applies them, once: a batch applied again (a rebalance
/// overlapping two instances) counts nothing, dead letters keep their keys, a replay turns one applied once, and a store
/// that kept one row per applied event is migrated to counts on start; the tracker evaluates only the transactions that
/// changed, and every open one in its sweep.
/// </summary>
public sealed class TransactionCountTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Group = "g";
    private const string Topic = "shop.public.orders";
    private static readonly MetadataTables Metadata = new("cdc");
    private static readonly TransactionStore Transactions = new(Metadata, Group);

    [Fact]
    public async Task Each_event_counts_once_however_often_its_batch_is_applied_and_a_replay_turns_a_dead_letter_applied()
    {
        await using var store = await StoreAsync();
        await Transactions.SaveAsync(store, [new TransactionMark(7, 100, 200, 0, 5, 5)], 1, null, CancellationToken.None);
        List<TransactionEvent> first = [Event(1, 0, 10), Event(2, 1, 10), Event(3, 0, 11, failed: true)];

        await ApplyAsync(store, first);
        await ApplyAsync(store, first);
        await ApplyAsync(store, [Event(3, 0, 11, failed: true), Event(4, 1, 11)]);
        Assert.Equal(4, await StoredAsync(store));

        await ApplyAsync(store, [Event(5, 1, 12)]);
        Assert.Equal((4, 1, TransactionStates.PartialFailure, "id=3"), await StatusAsync(store));

        // The dead letter replayed, twice (each time a new record in its partition).
        await ApplyAsync(store, [Event(3, 0, 12)]);
        await ApplyAsync(store, [Event(3, 0, 13)]);
        Assert.Equal(5, await StoredAsync(store));
        Assert.Equal(["4"], await DatabaseRows.ReadAsync(store, "SELECT sum(applied) FROM cdc.transaction_counts"));
        Assert.Equal(["3|False|NULL"], await DatabaseRows.ReadAsync(store, "SELECT total_order, failed, row_key FROM cdc.transaction_events"));
    }

    [Fact]
    public async Task Two_instances_applying_the_same_first_batch_at_once_count_it_once()
    {
        await using var store = await StoreAsync();
        List<TransactionEvent> batch = [Event(1, 0, 0), Event(2, 0, 1)];
        await using var first = await store.OpenConnectionAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        await ExecuteAsync(first, firstTransaction, batch);

        await using var second = await store.OpenConnectionAsync();
        var overlapping = Task.Run(async () =>
        {
            await using var transaction = await second.BeginTransactionAsync();
            await ExecuteAsync(second, transaction, batch);
            await transaction.CommitAsync();
        });
        await Task.Delay(300);
        Assert.False(overlapping.IsCompleted);
        await firstTransaction.CommitAsync();
        await overlapping;

        Assert.Equal(2, await StoredAsync(store));
    }

    [Fact]
    public async Task A_store_with_a_row_per_applied_event_is_migrated_to_counts_on_start()
    {
        var store = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await using (store)
        {
            await using (var old = store.CreateCommand("""
                CREATE SCHEMA cdc;
                CREATE TABLE cdc.transaction_events (consumer_group text NOT NULL, xid bigint NOT NULL, total_order bigint NOT NULL,
                    failed boolean NOT NULL, topic text NOT NULL, row_key text, applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    PRIMARY KEY (consumer_group, xid, total_order));
                INSERT INTO cdc.transaction_events (consumer_group, xid, total_order, failed, topic, row_key)
                VALUES ('g', 7, 1, false, 'shop.public.orders', NULL), ('g', 7, 2, false, 'shop.public.orders', NULL),
                       ('g', 7, 3, true, 'shop.public.orders', 'id=3');
                """))
            {
                await old.ExecuteNonQueryAsync();
            }

            await Metadata.EnsureAsync(store, CancellationToken.None);
            await Metadata.EnsureAsync(store, CancellationToken.None);

            Assert.Equal(["g|7|2"], await DatabaseRows.ReadAsync(store, "SELECT consumer_group, xid, applied FROM cdc.transaction_counts"));
            Assert.Equal(["3|True|id=3"], await DatabaseRows.ReadAsync(store, "SELECT total_order, failed, row_key FROM cdc.transaction_events"));
            Assert.Equal(3, await StoredAsync(store));
        }
    }

    /// <summary>
    /// The tracker evaluates only the transactions that changed: an evaluation given their xids moves those and counts
    /// them, leaves every other open transaction as it was (even one whose events are all in), and an evaluation of every
    /// open one (the tracker's start and its sweep) moves the rest.
    /// </summary>
    [Fact]
    public async Task An_evaluation_of_the_changed_transactions_moves_only_those_and_a_sweep_moves_the_rest()
    {
        await using var store = await StoreAsync();
        TransactionMark[] ends = [new(7, 100, 200, 0, 2, 2), new(8, 300, 400, 0, 1, 1), new(9, 500, 600, 0, 3, 3)];
        await Transactions.SaveAsync(store, ends, 3, null, CancellationToken.None);
        await ApplyAsync(store, [Event(1, 0, 0), Event(2, 0, 1), Event(1, 0, 2) with { Xid = 8 }, Event(1, 0, 3) with { Xid = 9 }]);

        var (moved, watermark, evaluated) = await Transactions.EvaluateAsync(store, [7, 9, 42], CancellationToken.None);

        Assert.Equal(2, evaluated);
        Assert.Equal([(7L, TransactionStates.Completed), (9L, TransactionStates.Processing)], moved.Select(t => (t.Xid, t.State)).OrderBy(t => t.Xid));
        Assert.Equal(TransactionStates.Pending, (await Transactions.FindAsync(store, 8, null, CancellationToken.None))!.State);
        Assert.Equal(399L, watermark.Lsn);

        (moved, watermark, evaluated) = await Transactions.EvaluateAsync(store, null, CancellationToken.None);

        Assert.Equal(2, evaluated);
        Assert.Equal([(8L, TransactionStates.Completed)], moved.Select(t => (t.Xid, t.State)));
        Assert.Equal(599L, watermark.Lsn);
        Assert.Equal(0, (await Transactions.EvaluateAsync(store, [8], CancellationToken.None)).Evaluated);
    }

    private static TransactionEvent Event(long order, int partition, long offset, bool failed = false) =>
        new(7, order, Topic, failed, failed ? $"id={order}" : null) { Partition = partition, Offset = offset };

    private async Task<NpgsqlDataSource> StoreAsync()
    {
        var store = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await Metadata.EnsureAsync(store, CancellationToken.None);
        return store;
    }

    /// <summary>A batch as the sink applies it: its events, then its partitions' next offsets, in one transaction.</summary>
    private static async Task ApplyAsync(NpgsqlDataSource store, IReadOnlyList<TransactionEvent> events)
    {
        await using var connection = await store.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, events);
        await transaction.CommitAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<TransactionEvent> events)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in Transactions.EventsCommands(events, _ => "topic-id"))
        {
            batch.BatchCommands.Add(command);
        }

        var next = events.GroupBy(e => e.Partition!.Value).Select(g => (Partition: g.Key, Next: g.Max(e => e.Offset!.Value) + 1)).ToList();
        var offsets = new NpgsqlBatchCommand(new GuardedWrite(Metadata).Offsets());
        offsets.Parameters.Add(new NpgsqlParameter { Value = Group });
        offsets.Parameters.Add(new NpgsqlParameter { Value = next.Select(_ => Topic).ToArray() });
        offsets.Parameters.Add(new NpgsqlParameter { Value = next.Select(n => n.Partition).ToArray() });
        offsets.Parameters.Add(new NpgsqlParameter { Value = next.Select(n => n.Next).ToArray() });
        foreach (var _ in Enumerable.Range(0, 3))
        {
            offsets.Parameters.Add(new NpgsqlParameter { Value = next.Select(_ => (long?)null).ToArray() });
        }

        offsets.Parameters.Add(new NpgsqlParameter { Value = next.Select(_ => "topic-id").ToArray() });
        batch.BatchCommands.Add(offsets);
        await batch.ExecuteNonQueryAsync();
    }

    private static async Task<long> StoredAsync(NpgsqlDataSource store) =>
        Assert.Single(await Transactions.LookUpAsync(store, [7], CancellationToken.None)).Stored;

    private static async Task<(long Applied, long Failed, string State, string Keys)> StatusAsync(NpgsqlDataSource store)
    {
        await Transactions.EvaluateAsync(store, null, CancellationToken.None);
        var status = (await Transactions.FindAsync(store, 7, null, CancellationToken.None))!;
        return (status.Applied, status.Failed, status.State, string.Join(";", status.FailedKeys.Select(k => k.Split(' ')[1])));
    }
}
