using System.Diagnostics;
using Cdc.Benchmarks.Support;
using Npgsql;

namespace Cdc.Dev.Demo;

/// <summary>
/// The writer applications: plain SQL on the primary, knowing nothing of Cdc. Orders are created (with their items),
/// amended, cancelled and deleted, each change its own transaction; the seeds' case is one UPDATE of many orders.
/// </summary>
internal sealed class ShopWriter(NpgsqlDataSource primary, int seed)
{
    public const int Accounts = 100;
    private const int ItemsPerOrder = 2;

    /// <summary>Statuses the steady mix uses; the flips use others, so a flip's status counts only its own rows.</summary>
    private static readonly string[] SteadyStatuses = ["new", "working", "filled"];

    private readonly Random _random = new(seed);
    private readonly List<long> _live = [];
    private long _nextId = 1;
    private long _transactions;
    private long _interruptions;

    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Transactions lost to a server restart or a broken connection (each either committed or not).</summary>
    public long Interruptions => Interlocked.Read(ref _interruptions);

    public long Creates { get; private set; }

    public long Amends { get; private set; }

    public long Cancels { get; private set; }

    public long Deletes { get; private set; }

    /// <summary>The accounts and <paramref name="orders"/> orders (with items), in one transaction.</summary>
    public async Task SeedAsync(int orders, CancellationToken ct)
    {
        await using var connection = await primary.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    "INSERT INTO public.accounts SELECT a, 'account ' || a, (a * 1000)::numeric(18,2), now() FROM generate_series(1, $1) a")
                {
                    Parameters = { new() { Value = Accounts } },
                },
                new NpgsqlBatchCommand(
                    """
                    INSERT INTO public.orders
                    SELECT o, 1 + o % $2, 'new', CASE WHEN o % 2 = 0 THEN 'B' ELSE 'S' END, 1 + o % 500, (100 + (o % 997) / 8.0)::numeric(18,4),
                           jsonb_build_object('venue', 'X' || (o % 7), 'tags', jsonb_build_array('seed')), 'order ' || o, now(), now()
                    FROM generate_series(1, $1) o
                    """)
                {
                    Parameters = { new() { Value = (long)orders }, new() { Value = (long)Accounts } },
                },
                new NpgsqlBatchCommand(
                    "INSERT INTO public.order_items SELECT o, l, 'SKU-' || (o * 7 + l) % 1000, l, (10 + l)::numeric(18,4) FROM generate_series(1, $1) o, generate_series(1, $2) l")
                {
                    Parameters = { new() { Value = (long)orders }, new() { Value = ItemsPerOrder } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        for (long id = 1; id <= orders; id++)
        {
            _live.Add(id);
        }

        _nextId = orders + 1L;
        Creates += orders;
        Interlocked.Increment(ref _transactions);
    }

    /// <summary>Single-change transactions at <paramref name="rate"/> per second for <paramref name="duration"/>:
    /// 35% orders created (with items), 45% amended, 12% cancelled, 8% deleted (their items go with them). A server
    /// restart or lost connection is waited out as the writer applications would: reconnect and go on.</summary>
    public async Task RunSteadyAsync(int rate, TimeSpan duration, CancellationToken ct)
    {
        NpgsqlConnection? connection = null;
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        try
        {
            while (true)
            {
                var elapsed = Stopwatch.GetElapsedTime(start);
                var due = (long)(rate * Math.Min(elapsed.TotalSeconds, duration.TotalSeconds));
                sent = Math.Max(sent, due - rate); // after an outage, go on at the rate instead of bursting the backlog
                try
                {
                    for (; sent < due; sent++)
                    {
                        connection ??= await OpenAsync(ct);
                        await NextAsync(connection, ct);
                        Interlocked.Increment(ref _transactions);
                    }
                }
                catch (Exception e) when (!ct.IsCancellationRequested && ServerRestarts.Interrupted(e))
                {
                    Interlocked.Increment(ref _interruptions);
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }

                    primary.Clear();
                    await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
                    continue;
                }

                if (elapsed >= duration)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(2), ct);
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>One UPDATE moving up to <paramref name="count"/> live orders to <paramref name="status"/>, committed
    /// on return; the <see cref="Stopwatch"/> timestamp of the commit and the rows it changed.</summary>
    /// <returns>When it committed (a <see cref="Stopwatch"/> timestamp), the rows it changed and its transaction id (xid).</returns>
    public async Task<(long Committed, int Rows, long Xid)> FlipAsync(string status, int count, CancellationToken ct)
    {
        await using var command = primary.CreateCommand("""
            WITH flipped AS (
                UPDATE public.orders SET status = $1, updated_at = now()
                WHERE id IN (SELECT id FROM public.orders WHERE status <> 'cancelled' ORDER BY id LIMIT $2)
                RETURNING 1)
            SELECT count(*)::int, txid_current() FROM flipped
            """);
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = count });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (rows, xid) = (reader.GetInt32(0), reader.GetInt64(1));
        var committed = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _transactions);
        return (committed, rows, xid);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = await primary.OpenConnectionAsync(ct);

        // The writers' own choice, to reach the rate on one connection: the commit returns before its WAL is flushed
        // (a crash could lose the last ~0.2 s of their commits, never half a transaction). The flips commit durably.
        await ExecuteAsync(connection, "SET synchronous_commit = off", ct);
        return connection;
    }

    private async Task NextAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var roll = _random.Next(100);
        if (roll < 35 || _live.Count == 0)
        {
            await CreateAsync(connection, ct);
            return;
        }

        var index = _random.Next(_live.Count);
        var id = _live[index];
        if (roll < 80)
        {
            await ExecuteAsync(
                connection,
                "UPDATE public.orders SET qty = qty + 1, price = price + 0.0125, status = $2, attributes = attributes || jsonb_build_object('amended', $3), updated_at = now() WHERE id = $1",
                ct,
                id,
                SteadyStatuses[_random.Next(SteadyStatuses.Length)],
                _random.Next(1_000_000));
            Amends++;
        }
        else if (roll < 92)
        {
            await ExecuteAsync(connection, "UPDATE public.orders SET status = 'cancelled', note = NULL, updated_at = now() WHERE id = $1", ct, id);
            Cancels++;
        }
        else
        {
            await ExecuteAsync(connection, "DELETE FROM public.orders WHERE id = $1", ct, id);
            _live[index] = _live[^1];
            _live.RemoveAt(_live.Count - 1);
            Deletes++;
        }
    }

    private async Task CreateAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var id = _nextId++;
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    INSERT INTO public.orders VALUES ($1, $2, 'new', $3, $4, $5, jsonb_build_object('venue', $6, 'tags', jsonb_build_array('steady', 'ünïcødé')),
                                                      $7, now(), now())
                    """)
                {
                    Parameters =
                    {
                        new() { Value = id }, new() { Value = 1L + _random.Next(Accounts) }, new() { Value = _random.Next(2) == 0 ? "B" : "S" },
                        new() { Value = 1 + _random.Next(1_000) }, new() { Value = Math.Round(50m + (decimal)(_random.NextDouble() * 100), 4) },
                        new() { Value = $"X{_random.Next(7)}" }, new() { Value = $"order {id} placed by the steady writer" },
                    },
                },
                new NpgsqlBatchCommand(
                    "INSERT INTO public.order_items SELECT $1, l, 'SKU-' || ($1 * 7 + l) % 1000, l, (10 + l)::numeric(18,4) FROM generate_series(1, $2) l")
                {
                    Parameters = { new() { Value = id }, new() { Value = ItemsPerOrder } },
                },
            },
        };

        // One batch, one round trip, one implicit transaction.
        await batch.ExecuteNonQueryAsync(ct);
        _live.Add(id);
        Creates++;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
