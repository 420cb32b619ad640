using System.Net;
using System.Text.Json;
using Cdc.Testing;
using Npgsql;

namespace Cdc.EndToEnd.Tests;

/// <summary>
/// Transaction tracking through the shipped commands, each its own process with product defaults (<c>cdc kafka</c>,
/// <c>cdc capture</c>, two <c>cdc sink</c>s, then <c>cdc txn</c> and <c>cdc wait</c>): states and counts of a
/// multi-table transaction in two subsystems that consume different tables, a transaction held back by a locked store
/// (PENDING, and the barrier not returning until its rows are visible), a transaction committed while a sink is down
/// (right counts after the restart, nothing counted twice), one with a dead-lettered event (PARTIAL_FAILURE with its
/// key, barrier exit code 1), and the barrier on an idle primary (heartbeats).
/// </summary>
public sealed class TransactionTrackingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly string[] Topics = ["cdc.public.orders", "cdc.public.order_items"];

    [Fact]
    public async Task Transactions_are_tracked_per_subsystem_and_the_barrier_returns_when_and_only_when_they_are_visible()
    {
        var primary = await postgres.CreateDatabaseAsync();
        var risk = await postgres.CreateDatabaseAsync();
        var analytics = await postgres.CreateDatabaseAsync();
        var slot = $"e2e_{Guid.NewGuid():N}"[..20];
        await ExecuteAsync(primary, """
            CREATE TABLE orders (id int PRIMARY KEY, total int NOT NULL);
            CREATE TABLE order_items (id int PRIMARY KEY, order_id int NOT NULL, amount int NOT NULL);
            CREATE TABLE unrelated (id serial PRIMARY KEY, note text);
            """);
        using var kafka = CliProcess.Start(["kafka", "--topics", string.Join(',', Topics), "--partitions", "4"]);
        var bootstrap = await FirstLineAsync(kafka);
        using var capture = CliProcess.Start(["capture", "--source", primary, "--bootstrap-servers", bootstrap, "--topic-prefix", "cdc", "--tables", "public.orders,public.order_items", "--slot", slot, "--publication", slot]);
        var riskPort = FreeTcpPort.Next();
        string[] riskSink = ["sink", "--bootstrap-servers", bootstrap, "--group", "risk", "--topics", string.Join(',', Topics), "--store", risk, "--metrics-port", riskPort.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var riskProcess = CliProcess.Start(riskSink);
        using var analyticsProcess = CliProcess.Start(["sink", "--bootstrap-servers", bootstrap, "--group", "analytics", "--topics", "cdc.public.orders", "--store", analytics]);
        var stores = $"risk={risk},analytics={analytics}";
        try
        {
            // 1. A multi-table transaction: risk consumes both tables (3 + 4 events), analytics only the orders (3).
            await ExecuteAsync(primary, "INSERT INTO orders VALUES (0, 0)");
            await WaitForAsync(stores, await LsnAsync(primary), TimeSpan.FromSeconds(90), capture, riskProcess, analyticsProcess);
            var xid = await ScalarAsync<long>(primary, """
                BEGIN;
                INSERT INTO orders VALUES (1, 30), (2, 5);
                INSERT INTO order_items VALUES (10, 1, 10), (11, 1, 20), (12, 2, 5);
                UPDATE orders SET total = 35 WHERE id = 2;
                UPDATE order_items SET amount = 5 WHERE id = 12;
                SELECT txid_current();
                """, commit: true);
            var first = await LsnAsync(primary);
            var waited = await CliProcess.RunAsync(["wait", "--lsn", first, "--stores", stores, "--timeout", "00:00:30"]);
            Assert.True(waited.ExitCode == 0, waited.ToString());
            Assert.Equal(2L, await ScalarAsync<long>(risk, "SELECT count(*) FROM order_items WHERE order_id = 1"));
            Assert.Equal(35L, await ScalarAsync<long>(analytics, "SELECT total::int8 FROM orders WHERE id = 2"));
            var answer = await TxnAsync(xid, stores);
            Assert.Equal(("COMPLETED", 7L, 7L, 0L), Counts(answer, "risk"));
            Assert.Equal(("COMPLETED", 3L, 3L, 0L), Counts(answer, "analytics"));
            Assert.Equal(7L, Subsystem(answer, "risk").GetProperty("total_events").GetInt64());

            // The same answer over HTTP from the risk sink.
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{riskPort}/") };
            using (var response = await http.GetAsync($"transactions/{xid}"))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal("COMPLETED", body.RootElement.GetProperty("state").GetString());
                Assert.Equal(7, body.RootElement.GetProperty("applied").GetInt64());
            }

            // 2. Held back: the risk store's order_items locked. The END is read (PENDING with its count), the barrier
            // does not return, and returns once the lock goes, with the rows visible.
            await using (var locker = new NpgsqlConnection(risk))
            {
                await locker.OpenAsync();
                await using var lockTransaction = await locker.BeginTransactionAsync();
                await using (var lockCommand = new NpgsqlCommand("LOCK TABLE order_items IN ACCESS EXCLUSIVE MODE", locker, lockTransaction))
                {
                    await lockCommand.ExecuteNonQueryAsync();
                }

                var held = await ScalarAsync<long>(primary, "BEGIN; INSERT INTO order_items SELECT g, 3, 1 FROM generate_series(100, 149) g; INSERT INTO orders VALUES (3, 50); SELECT txid_current();", commit: true);
                var heldLsn = await LsnAsync(primary);
                using var barrier = CliProcess.Start(["wait", "--lsn", heldLsn, "--stores", stores, "--subsystems", "risk", "--timeout", "00:01:00"]);
                await Wait.UntilAsync(async () => State(await TxnAsync(held, stores), "risk") is "PENDING" or "PROCESSING", TimeSpan.FromSeconds(30), "the held transaction known to risk");
                Assert.Equal("COMPLETED", State(await TxnAsync(held, stores), "analytics"));
                await Task.Delay(TimeSpan.FromSeconds(1));
                Assert.False(barrier.HasExited, $"the barrier returned while the rows were held back: {barrier.Output}");
                var pending = Subsystem(await TxnAsync(held, stores), "risk");
                Assert.Equal(51, pending.GetProperty("expected").GetInt64());
                await lockTransaction.RollbackAsync();
                Assert.True(await barrier.WaitForExitAsync(TimeSpan.FromSeconds(30)), barrier.Output);
                Assert.True(barrier.ExitCode == 0, barrier.Output);
                Assert.Equal(50L, await ScalarAsync<long>(risk, "SELECT count(*) FROM order_items WHERE order_id = 3"));
                Assert.Equal(("COMPLETED", 51L, 51L, 0L), Counts(await TxnAsync(held, stores), "risk"));
            }

            // 3. Committed while the risk sink is down: counted once, right, after the restart.
            riskProcess.Terminate();
            Assert.True(await riskProcess.WaitForExitAsync(TimeSpan.FromSeconds(30)), riskProcess.Output);
            riskProcess.Dispose();
            var whileDown = await ScalarAsync<long>(primary, "BEGIN; UPDATE orders SET total = total + 1; UPDATE order_items SET amount = amount + 1 WHERE order_id = 1; SELECT txid_current();", commit: true);
            var downLsn = await LsnAsync(primary);
            riskProcess = CliProcess.Start(riskSink);
            waited = await CliProcess.RunAsync(["wait", "--lsn", downLsn, "--stores", stores, "--timeout", "00:01:00"]);
            Assert.True(waited.ExitCode == 0, waited + riskProcess.Output);
            Assert.Equal(("COMPLETED", 6L, 6L, 0L), Counts(await TxnAsync(whileDown, stores), "risk"));
            Assert.Equal(("COMPLETED", 4L, 4L, 0L), Counts(await TxnAsync(whileDown, stores), "analytics"));
            Assert.Equal(("COMPLETED", 7L, 7L, 0L), Counts(await TxnAsync(xid, stores), "risk"));

            // 4. A dead-lettered event: analytics refuses totals over 1000; its transaction ends PARTIAL_FAILURE with the key.
            await ExecuteAsync(analytics, "ALTER TABLE orders ADD CONSTRAINT small CHECK (total < 1000)");
            var poisoned = await ScalarAsync<long>(primary, "BEGIN; INSERT INTO orders VALUES (7, 5000), (8, 10); INSERT INTO order_items VALUES (70, 7, 5000); SELECT txid_current();", commit: true);
            var poisonLsn = await LsnAsync(primary);
            waited = await CliProcess.RunAsync(["wait", "--lsn", poisonLsn, "--stores", stores, "--timeout", "00:00:30"]);
            Assert.True(waited.ExitCode == 1, waited.ToString());
            Assert.Contains("analytics: reached, but 1 transaction(s) ended PARTIAL_FAILURE", waited.Stdout, StringComparison.Ordinal);
            Assert.Contains("risk: reached", waited.Stdout, StringComparison.Ordinal);
            var failed = Subsystem(await TxnAsync(poisoned, stores), "analytics");
            Assert.Equal(("PARTIAL_FAILURE", 2L, 1L, 1L), Counts(await TxnAsync(poisoned, stores), "analytics"));
            Assert.Equal(["cdc.public.orders id=7"], failed.GetProperty("failed_keys").EnumerateArray().Select(k => k.GetString()));
            Assert.Equal(("COMPLETED", 3L, 3L, 0L), Counts(await TxnAsync(poisoned, stores), "risk"));
            Assert.Equal(0, (await CliProcess.RunAsync(["wait", "--lsn", poisonLsn, "--stores", stores, "--subsystems", "risk"])).ExitCode);

            // 5. An idle primary: WAL written past the last captured commit (an uncaptured table); only the
            // connector's heartbeats can tell the sinks that nothing at or below that position is coming.
            await ExecuteAsync(primary, "INSERT INTO unrelated (note) SELECT 'x' FROM generate_series(1, 100)");
            var idle = await LsnAsync(primary);
            var started = System.Diagnostics.Stopwatch.StartNew();
            waited = await CliProcess.RunAsync(["wait", "--lsn", idle, "--stores", stores, "--subsystems", "risk", "--timeout", "00:00:30", "--json"]);
            Assert.True(waited.ExitCode == 0, waited.ToString());
            Console.WriteLine($"idle barrier returned in {started.ElapsedMilliseconds} ms (process start included)");
            using (var response = await http.GetAsync($"wait?lsn={idle}&timeout=00:00:05"))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var beyond = await ScalarAsync<string>(primary, "SELECT (pg_current_wal_lsn() + 100000000)::text");
            using (var response = await http.GetAsync($"wait?lsn={beyond}&timeout=00:00:00.5"))
            {
                Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            }

            Assert.Equal(3, (await CliProcess.RunAsync(["wait", "--lsn", beyond, "--stores", stores, "--timeout", "00:00:01"])).ExitCode);
        }
        finally
        {
            foreach (var process in new[] { riskProcess, analyticsProcess, capture, kafka })
            {
                process.Terminate();
                await process.WaitForExitAsync(TimeSpan.FromSeconds(20));
            }

            riskProcess.Dispose();
            await ExecuteAsync(postgres.AdminConnectionString, $"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{slot}'");
        }
    }

    private static async Task WaitForAsync(string stores, string lsn, TimeSpan timeout, params CliProcess[] processes)
    {
        var result = await CliProcess.RunAsync(["wait", "--lsn", lsn, "--stores", stores, "--timeout", timeout.ToString()]);
        Assert.True(result.ExitCode == 0, $"{result}\n{string.Join("\n---\n", processes.Select(p => p.Output))}");
    }

    private static async Task<JsonElement> TxnAsync(long xid, string stores)
    {
        var result = await CliProcess.RunAsync(["txn", xid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--stores", stores, "--json"]);
        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    private static JsonElement Subsystem(JsonElement answer, string name) =>
        answer.GetProperty("subsystems").EnumerateArray().Single(s => s.GetProperty("subsystem").GetString() == name);

    private static string? State(JsonElement answer, string name) =>
        Subsystem(answer, name) is var s && s.GetProperty("found").GetBoolean() ? s.GetProperty("state").GetString() : null;

    private static (string?, long, long, long) Counts(JsonElement answer, string name)
    {
        var s = Subsystem(answer, name);
        return (s.GetProperty("state").GetString(), s.GetProperty("expected").GetInt64(), s.GetProperty("applied").GetInt64(), s.GetProperty("failed").GetInt64());
    }

    private static Task<string> LsnAsync(string primary) => ScalarAsync<string>(primary, "SELECT pg_current_wal_lsn()::text");

    private static async Task<string> FirstLineAsync(CliProcess process)
    {
        await Wait.UntilAsync(() => Task.FromResult(process.Output.Contains('\n', StringComparison.Ordinal) || process.HasExited), TimeSpan.FromSeconds(30), "cdc kafka's bootstrap line");
        return process.Output.Split('\n')[0].Trim();
    }

    private static async Task<T> ScalarAsync<T>(string connection, string sql, bool commit = false)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand(commit ? sql + " COMMIT;" : sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
