using Cdc.Store.Bookkeeping;
using Cdc.Store.Transactions;
using Cdc.Store.Writes;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Store.Tests;

/// <summary>
/// The tracker evaluates only the transactions that changed: an evaluation given their xids moves those and counts
/// them, leaves every other open transaction as it was (even one whose events are all in), and an evaluation of every
/// open one (the tracker's start and its sweep) moves the rest.
/// </summary>
public sealed class TransactionEvaluationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Group = "g";
    private const string Topic = "shop.public.orders";
    private static readonly MetadataTables Metadata = new("cdc");
    private static readonly TransactionStore Transactions = new(Metadata, Group);

    [Fact]
    public async Task An_evaluation_of_the_changed_transactions_moves_only_those_and_a_sweep_moves_the_rest()
    {
        await using var store = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await Metadata.EnsureAsync(store, CancellationToken.None);
        TransactionMark[] ends = [new(7, 100, 200, 0, 2, 2), new(8, 300, 400, 0, 1, 1), new(9, 500, 600, 0, 3, 3)];
        await Transactions.SaveAsync(store, ends, 3, null, CancellationToken.None);
        await ApplyAsync(store, [Event(7, 1, 0), Event(7, 2, 1), Event(8, 1, 2), Event(9, 1, 3)]);

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

    private static TransactionEvent Event(long xid, long order, long offset) => new(xid, order, Topic, false, null) { Partition = 0, Offset = offset };

    /// <summary>A batch as the sink applies it: its events, then its partition's next offset, in one transaction.</summary>
    private static async Task ApplyAsync(NpgsqlDataSource store, IReadOnlyList<TransactionEvent> events)
    {
        await using var connection = await store.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in Transactions.EventsCommands(events, _ => "topic-id"))
        {
            batch.BatchCommands.Add(command);
        }

        var offsets = new NpgsqlBatchCommand(new GuardedWrite(Metadata).Offsets());
        offsets.Parameters.Add(new NpgsqlParameter { Value = Group });
        offsets.Parameters.Add(new NpgsqlParameter { Value = new[] { Topic } });
        offsets.Parameters.Add(new NpgsqlParameter { Value = new[] { 0 } });
        offsets.Parameters.Add(new NpgsqlParameter { Value = new[] { events.Max(e => e.Offset!.Value) + 1 } });
        foreach (var _ in Enumerable.Range(0, 3))
        {
            offsets.Parameters.Add(new NpgsqlParameter { Value = new long?[] { null } });
        }

        offsets.Parameters.Add(new NpgsqlParameter { Value = new[] { "topic-id" } });
        batch.BatchCommands.Add(offsets);
        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }
}
