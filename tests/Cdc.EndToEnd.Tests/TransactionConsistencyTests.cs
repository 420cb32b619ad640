using System.Globalization;
using Cdc.Testing;
using Npgsql;

namespace Cdc.EndToEnd.Tests;

/// <summary>
/// <c>--consistency transaction</c> through the shipped commands, each its own process with product defaults: writers
/// commit orders with their items (the items sum to the order's total) under load on the primary, one sink applies them
/// in the default mode and one in transaction mode, and a reader polls each store checking the invariant on every poll.
/// The same reader catches half transactions in the default store (so the check can fail), never in the transaction
/// store; that sink is SIGKILLed while a 3,000-item transaction is on its way and restarted, and its store ends exact
/// row for row, every transaction COMPLETED with each event counted once, nothing applied twice. Then a transaction
/// with an event the store refuses: the rest applied, the transaction PARTIAL_FAILURE with the refused key.
/// </summary>
public sealed class TransactionConsistencyTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly string[] Topics = ["cdc.public.orders", "cdc.public.order_items"];

    private const string HalfTransactions = """
        SELECT count(*) FROM (
            SELECT o.id FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
            GROUP BY o.id, o.total HAVING o.total <> coalesce(sum(i.amount), 0)) broken
        """;

    [Fact]
    public async Task A_store_in_transaction_mode_never_shows_half_a_transaction_under_load_and_across_a_kill()
    {
        var primary = await postgres.CreateDatabaseAsync();
        var eventStore = await postgres.CreateDatabaseAsync();
        var wholeStore = await postgres.CreateDatabaseAsync();
        var slot = $"e2e_{Guid.NewGuid():N}"[..20];
        await DatabaseRoles.ExecuteAsync(primary, """
            CREATE TABLE orders (id bigint PRIMARY KEY, total bigint NOT NULL);
            CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint NOT NULL, amount bigint NOT NULL);
            CREATE SEQUENCE ids;
            """);
        using var kafka = CliProcess.Start(["kafka", "--topics", string.Join(',', Topics), "--partitions", "4"]);
        var bootstrap = await FirstLineAsync(kafka);
        using var capture = CliProcess.Start(["capture", "--source", primary, "--bootstrap-servers", bootstrap, "--topic-prefix", "cdc", "--tables", "public.orders,public.order_items", "--slot", slot, "--publication", slot]);
        using var eventSink = CliProcess.Start(["sink", "--bootstrap-servers", bootstrap, "--group", "event", "--topics", string.Join(',', Topics), "--store", eventStore]);
        var port = FreeTcpPort.Next();
        string[] wholeArgs = ["sink", "--bootstrap-servers", bootstrap, "--group", "whole", "--topics", string.Join(',', Topics), "--store", wholeStore, "--consistency", "transaction", "--metrics-port", port.ToString(CultureInfo.InvariantCulture)];
        var wholeSink = CliProcess.Start(wholeArgs);
        var stores = $"event={eventStore},whole={wholeStore}";
        using var stop = new CancellationTokenSource();
        try
        {
            await DatabaseRoles.ExecuteAsync(primary, "BEGIN; INSERT INTO orders VALUES (0, 1); INSERT INTO order_items VALUES (0, 0, 1); COMMIT;");
            await WaitForAsync(stores, await LsnAsync(primary), capture, eventSink, wholeSink);

            var eventReader = PollAsync(eventStore, stopAtFirst: true, stop.Token);
            var wholeReader = PollAsync(wholeStore, stopAtFirst: false, stop.Token);
            var writers = Enumerable.Range(0, 3).Select(w => WriteAsync(primary, w, stop.Token)).ToList();
            await Task.Delay(TimeSpan.FromSeconds(4));

            // A 3,000-item transaction, and the transaction-mode sink killed while it is on its way.
            await DatabaseRoles.ExecuteAsync(primary, """
                BEGIN;
                INSERT INTO orders VALUES (-1, 3000);
                INSERT INTO order_items SELECT -g, -1, 1 FROM generate_series(1, 3000) g;
                COMMIT;
                """);
            await Task.Delay(TimeSpan.FromMilliseconds(150));
            await wholeSink.KillAsync();
            wholeSink.Dispose();
            wholeSink = CliProcess.Start(wholeArgs);
            await Task.Delay(TimeSpan.FromSeconds(5));
            await stop.CancelAsync();
            var written = (await Task.WhenAll(writers)).Sum();

            await WaitForAsync(stores, await LsnAsync(primary), capture, eventSink, wholeSink);
            var (wholePolls, wholeBroken) = await wholeReader;
            var (eventPolls, eventBroken) = await eventReader;
            Console.WriteLine($"{written} writer transactions; default mode: {eventBroken} of {eventPolls} polls saw half a transaction; transaction mode: {wholeBroken} of {wholePolls}");
            Assert.True(eventBroken > 0, $"the reader never caught a half transaction in the default mode ({eventPolls} polls): the check proves nothing");
            Assert.True(wholePolls > 50, $"the transaction-mode store was polled only {wholePolls} times");
            Assert.Equal(0, wholeBroken);

            // Exact after the kill: row for row, each transaction COMPLETED with each of its events counted once.
            foreach (var table in new[] { "orders", "order_items" })
            {
                var query = $"SELECT coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM (SELECT * FROM {table}) t";
                var fromStore = $"SELECT coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM (SELECT {(table == "orders" ? "id, total" : "id, order_id, amount")} FROM {table}) t";
                Assert.Equal(await ScalarAsync<string>(primary, query), await ScalarAsync<string>(wholeStore, fromStore));
            }

            Assert.Equal(0L, await ScalarAsync<long>(wholeStore, "SELECT count(*) FROM cdc.transactions WHERE expected > 0 AND (state <> 'COMPLETED' OR applied <> expected OR failed <> 0)"));
            Assert.Equal(3001L, await ScalarAsync<long>(wholeStore, "SELECT t.applied FROM cdc.transactions t WHERE t.expected = 3001"));
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            Assert.DoesNotMatch(@"(?m)^cdc_sink_events_superseded_total\{[^}]*\} [1-9]", metrics);
            Assert.Matches(@"(?m)^cdc_sink_transactions_applied_incomplete_total 0$", metrics);

            // Poison in a transaction: the store refuses the order; its item is applied, the order dead-lettered, the
            // transaction ends PARTIAL_FAILURE with the order's key, and the barrier says so.
            await DatabaseRoles.ExecuteAsync(wholeStore, "ALTER TABLE orders ADD CONSTRAINT small CHECK (total < 100000)");
            var poisoned = await ScalarAsync<long>(primary, "BEGIN; INSERT INTO orders VALUES (-2, 200000); INSERT INTO order_items VALUES (-5000, -2, 200000); SELECT txid_current(); COMMIT;");
            var waited = await CliProcess.RunAsync(["wait", "--lsn", await LsnAsync(primary), "--stores", stores, "--subsystems", "whole", "--timeout", "00:01:00"]);
            Assert.True(waited.ExitCode == 1, waited + wholeSink.Output);
            Assert.Equal("PARTIAL_FAILURE 1 1 id=-2", await ScalarAsync<string>(wholeStore, $"SELECT t.state || ' ' || t.applied || ' ' || t.failed || ' ' || e.row_key FROM cdc.transactions t JOIN cdc.transaction_events e USING (consumer_group, xid) WHERE t.xid = {poisoned} AND e.failed"));
            Assert.Equal(1L, await ScalarAsync<long>(wholeStore, "SELECT count(*) FROM order_items WHERE id = -5000"));
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var process in new[] { wholeSink, eventSink, capture, kafka })
            {
                process.Terminate();
                await process.WaitForExitAsync(TimeSpan.FromSeconds(20));
            }

            wholeSink.Dispose();
            await DatabaseRoles.ExecuteAsync(postgres.AdminConnectionString, $"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{slot}'");
        }
    }

    /// <summary>New orders with 1 to 8 items, and items added to an earlier order with its total raised, each in one transaction.</summary>
    private static async Task<int> WriteAsync(string primary, int writer, CancellationToken stop)
    {
        var random = new Random(writer);
        await using var source = NpgsqlDataSource.Create(primary);
        var written = 0;
        while (!stop.IsCancellationRequested)
        {
            var items = random.Next(1, 9);
            var sql = written > 10 && random.Next(3) == 0
                ? $"""
                  WITH o AS (SELECT id FROM orders WHERE id > 0 ORDER BY random() LIMIT 1),
                       i AS (INSERT INTO order_items SELECT nextval('ids'), o.id, {items} FROM o RETURNING order_id)
                  UPDATE orders SET total = total + {items} WHERE id IN (SELECT order_id FROM i)
                  """
                : $"""
                  WITH o AS (INSERT INTO orders VALUES (nextval('ids'), {items * (items + 1) / 2}) RETURNING id)
                  INSERT INTO order_items SELECT nextval('ids'), o.id, g FROM o, generate_series(1, {items}) g
                  """;
            await using var command = source.CreateCommand(sql);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            written++;
        }

        return written;
    }

    /// <summary>Polls the store, each poll one statement (one snapshot): how many polls, and how many saw an order whose items do not sum to its total.</summary>
    private static async Task<(int Polls, int Broken)> PollAsync(string store, bool stopAtFirst, CancellationToken stop)
    {
        await using var source = NpgsqlDataSource.Create(store);
        var (polls, broken) = (0, 0);
        while (!stop.IsCancellationRequested)
        {
            await using var command = source.CreateCommand(HalfTransactions);
            polls++;
            if ((long)(await command.ExecuteScalarAsync(CancellationToken.None))! > 0)
            {
                broken++;
                if (stopAtFirst)
                {
                    break;
                }
            }

            await Task.Delay(5, CancellationToken.None);
        }

        return (polls, broken);
    }

    private static async Task WaitForAsync(string stores, string lsn, params CliProcess[] processes)
    {
        var result = await CliProcess.RunAsync(["wait", "--lsn", lsn, "--stores", stores, "--timeout", "00:01:30"]);
        Assert.True(result.ExitCode == 0, $"{result}\n{string.Join("\n---\n", processes.Select(p => p.Output))}");
    }

    private static Task<string> LsnAsync(string primary) => ScalarAsync<string>(primary, "SELECT pg_current_wal_lsn()::text");

    private static async Task<string> FirstLineAsync(CliProcess process)
    {
        await Wait.UntilAsync(() => Task.FromResult(process.Output.Contains('\n', StringComparison.Ordinal) || process.HasExited), TimeSpan.FromSeconds(30), "cdc kafka's bootstrap line");
        return process.Output.Split('\n')[0].Trim();
    }

    private static async Task<T> ScalarAsync<T>(string connection, string sql)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
