using System.Globalization;
using Cdc.Testing;
using Cdc.Verdict;
using Confluent.Kafka;
using Npgsql;

namespace Cdc.EndToEnd.Tests;

/// <summary>
/// Issue 12, items 1 and 2 healed end to end, as an operator runs the pipeline (<c>cdc kafka</c>, <c>cdc capture</c>,
/// <c>cdc sink --primary</c>, each its own process with the README's flags and the product's defaults): a sink stopped
/// while retention deletes what it had not read, then Kafka losing a topic (a restart without its data) while the sink
/// is down. Both times rows were changed and deleted on the primary meanwhile; both times the sink says so, and the
/// store converges to the primary by itself (re-snapshot through the Kafka signal channel, extra rows removed by the
/// heal worker), proven by the independent verdict, each heal in the reconciler's audit trail.
/// </summary>
public sealed class Issue12HealEndToEndTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Topic = "cdc.public.orders";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Retention_gap_and_lost_topic_are_detected_and_healed_without_an_operator()
    {
        var primary = await postgres.CreateDatabaseAsync();
        var store = await postgres.CreateDatabaseAsync();
        var slot = $"e2e_{Guid.NewGuid():N}"[..20];
        await ExecuteAsync(primary, """
            CREATE TABLE orders (id integer PRIMARY KEY, status text, qty integer);
            INSERT INTO orders SELECT g, 'new', g FROM generate_series(1, 300) g;
            """);
        using var kafka = CliProcess.Start(["kafka", "--topics", Topic, "--partitions", "4"]);
        var (bootstrap, control) = await KafkaLinesAsync(kafka);
        using var capture = CliProcess.Start(["capture", "--source", primary, "--bootstrap-servers", bootstrap, "--topic-prefix", "cdc", "--tables", "public.orders", "--slot", slot, "--publication", slot]);
        string[] sinkArgs = ["sink", "--bootstrap-servers", bootstrap, "--group", "risk", "--topics", Topic, "--store", store, "--primary", primary];
        var sink = CliProcess.Start(sinkArgs);
        var outputs = new List<CliProcess> { sink };
        using var http = new HttpClient { BaseAddress = new Uri(control) };
        try
        {
            await UntilEqualAsync(primary, store, "the snapshot in the store", capture, outputs);

            // 1. Retention passes the offsets the stopped sink stored.
            await StopAsync(sink);
            await ExecuteAsync(primary, "UPDATE orders SET status = 'late', qty = -qty WHERE id % 3 = 0; DELETE FROM orders WHERE id <= 20");
            await UntilCapturedAsync(primary, slot);
            foreach (var (partition, high) in Watermarks(bootstrap))
            {
                (await http.PostAsync(new Uri($"/topics/{Topic}/partitions/{partition}/delete-records?before={high}", UriKind.Relative), null)).EnsureSuccessStatusCode();
            }

            sink = CliProcess.Start(sinkArgs);
            outputs.Add(sink);
            await UntilEqualAsync(primary, store, "the store healed after the retention gap", capture, outputs);
            Assert.Contains($"gap in {Topic}[", sink.Output, StringComparison.Ordinal);
            Assert.Contains("log-start-passed", sink.Output, StringComparison.Ordinal);

            // 2. Kafka loses the topic (restarted without its data) while the sink is down; the new topic passes the old offsets.
            await StopAsync(sink);
            await ExecuteAsync(primary, "UPDATE orders SET status = 'before the restart' WHERE id % 5 = 0; DELETE FROM orders WHERE id BETWEEN 21 AND 30");
            await UntilCapturedAsync(primary, slot);
            (await http.DeleteAsync(new Uri($"/topics/{Topic}", UriKind.Relative))).EnsureSuccessStatusCode();
            await ExecuteAsync(primary, "INSERT INTO orders SELECT g, 'after the restart', g FROM generate_series(1001, 1400) g");
            await UntilCapturedAsync(primary, slot);
            sink = CliProcess.Start(sinkArgs);
            outputs.Add(sink);
            await UntilEqualAsync(primary, store, "the store healed after the topic was lost", capture, outputs);
            Assert.Contains("topic-recreated", sink.Output, StringComparison.Ordinal);
            await Wait.UntilAsync(
                async () => (await RowsAsync(store, "SELECT count(*) FROM cdc.heals WHERE state <> 'healed'"))[0] == "0",
                Timeout,
                "every heal to be marked healed");
            var audit = await RowsAsync(store, "SELECT count(*) > 0 FROM cdc.reconcile_runs WHERE reason LIKE 'heal of %' AND state = 'completed'");
            Assert.Equal(["True"], audit);
        }
        finally
        {
            foreach (var process in outputs.Append(capture).Append(kafka).Where(p => !p.HasExited))
            {
                process.Terminate();
                await process.WaitForExitAsync(TimeSpan.FromSeconds(20));
            }

            outputs.ForEach(s => s.Dispose());

            await ExecuteAsync(postgres.AdminConnectionString, $"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{slot}'");
        }
    }

    private static async Task UntilEqualAsync(string primary, string store, string what, CliProcess capture, List<CliProcess> sinks)
    {
        try
        {
            await Wait.UntilAsync(
                async () => await TableExistsAsync(store) && (await IndependentVerdict.CompareAsync(primary, store, [VerdictTable.Same("public", "orders")])).Equal,
                Timeout,
                what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\ncapture: {capture.Output}\nsink: {string.Join("\n--- restarted ---\n", sinks.Select(s => s.Output))}", e);
        }
    }

    private static async Task StopAsync(CliProcess sink)
    {
        sink.Terminate();
        Assert.True(await sink.WaitForExitAsync(TimeSpan.FromSeconds(30)), sink.Output);
    }

    /// <summary>The slot confirmed everything written so far: it is all in Kafka.</summary>
    private static Task UntilCapturedAsync(string primary, string slot) =>
        Wait.UntilAsync(
            async () => (await RowsAsync(primary, $"SELECT confirmed_flush_lsn >= pg_current_wal_lsn() FROM pg_replication_slots WHERE slot_name = '{slot}'"))[0] == "True",
            Timeout,
            "the connector to confirm every change");

    private static Dictionary<int, long> Watermarks(string bootstrap)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "e2e-watermarks" }).Build();
        return Enumerable.Range(0, 4).ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(Topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    private static async Task<(string Bootstrap, string Control)> KafkaLinesAsync(CliProcess kafka)
    {
        await Wait.UntilAsync(() => Task.FromResult(kafka.Output.Split('\n').Length > 2 || kafka.HasExited), TimeSpan.FromSeconds(30), "cdc kafka's first lines");
        var lines = kafka.Output.Split('\n');
        return (lines[0].Trim(), lines[1].Trim().Replace("control: ", "", StringComparison.Ordinal));
    }

    private static async Task<bool> TableExistsAsync(string store) =>
        (await RowsAsync(store, "SELECT to_regclass('public.orders') IS NOT NULL"))[0] == "True";

    private static async Task<List<string>> RowsAsync(string connection, string sql)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        return await DatabaseRows.ReadAsync(source, sql);
    }

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
