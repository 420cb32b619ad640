using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cdc.Deploy.Tests.Support;
using Cdc.Sink.Configuration;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;
using Confluent.Kafka;
using Npgsql;

namespace Cdc.Deploy.Tests.Prometheus;

/// <summary>
/// The real Prometheus server scrapes a running sink worker and evaluates the production lag alert (its threshold
/// lowered to 1 s and its <c>for</c> to 0 so the test need not wait minutes): the store is made unreachable while
/// events arrive, the alert turns firing; the store comes back, the sink drains, the alert resolves. Then the lag,
/// throughput, Polly and Npgsql series are read back through Prometheus's HTTP API, as the dashboard reads them.
/// </summary>
public sealed class SinkAlertEndToEndTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const string LagAlert = "CdcSinkLagAboveSlo";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task LagAlert_FiresWhileTheStoreIsUnreachable_ResolvesOnceTheSinkDrains()
    {
        var store = await postgres.CreateDatabaseAsync();
        var database = new NpgsqlConnectionStringBuilder(store).Database!;
        await ExecuteAsync(store, "CREATE TABLE public.orders (id bigint PRIMARY KEY, status text)");
        var topic = kafka.CreateUniqueTopic("shop.public.orders", partitions: 4);
        var options = new SinkOptions
        {
            Store = store,
            Kafka = { BootstrapServers = kafka.BootstrapServers, GroupId = KafkaFixture.UniqueName("risk"), Topics = [topic] },
            MetricsPort = FreeTcpPort.Next(),
            Resilience = { MaxRetryAttempts = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(50), BreakDuration = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(2) },
        };
        await using var sink = await SinkRunner.StartAsync(options);
        using var producer = new ProducerBuilder<byte[], byte[]?>(kafka.ProducerConfig()).Build();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{options.MetricsPort}") };

        Produce(producer, topic, ids: 1..20);
        producer.Produce(topic, new Message<byte[], byte[]?> { Key = Key(1), Value = null }); // a tombstone: skipped
        producer.Produce(topic, new Message<byte[], byte[]?> { Key = Key(99), Value = "not json"u8.ToArray() }); // poison: dead-lettered
        producer.Flush(TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(async () => await CountAsync(store) == 20, Timeout, "the first 20 orders in the store");

        await using var prometheus = await PrometheusServer.StartAsync(ScrapeConfig(options.MetricsPort), await LagRuleForTestAsync());
        await Eventually.HoldsAsync(async () => (await prometheus.TargetHealthAsync()).SequenceEqual(["up"]), Timeout, "Prometheus to scrape the sink");
        Assert.DoesNotContain(await prometheus.AlertsAsync(), IsLagAlert);

        try
        {
            await MakeUnreachableAsync(database, unreachable: true);
            Produce(producer, topic, ids: 21..40);
            producer.Flush(TimeSpan.FromSeconds(30));
            await Eventually.HoldsAsync(
                async () => (await prometheus.AlertsAsync()).Any(a => IsLagAlert(a) && (string?)a!["state"] == "firing"),
                Timeout,
                "the lag alert to fire",
                async () => (await prometheus.AlertsAsync()).ToJsonString());
            var firing = (await prometheus.AlertsAsync()).First(a => IsLagAlert(a))!;
            Assert.Equal("risk", (string?)firing["labels"]!["subsystem"]);
            Assert.Equal(topic, (string?)firing["labels"]!["topic"]);
            Assert.StartsWith("risk sink is ", (string?)firing["annotations"]!["summary"], StringComparison.Ordinal);
            Assert.Contains("cdc_sink_circuit_open 1", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        }
        finally
        {
            await MakeUnreachableAsync(database, unreachable: false);
        }

        await Eventually.HoldsAsync(async () => await CountAsync(store) == 40, Timeout, "the sink to drain after the store came back");
        await Eventually.HoldsAsync(
            async () => !(await prometheus.AlertsAsync()).Any(IsLagAlert),
            Timeout,
            "the lag alert to resolve",
            async () => (await prometheus.AlertsAsync()).ToJsonString());

        var exposition = await http.GetStringAsync("/metrics");
        var check = await Tool.RunAsync("promtool", ["check", "metrics"], stdin: exposition);
        Assert.True(check.ExitCode == 0 && check.Output.Length == 0, $"promtool check metrics on the running sink:\n{check.Output}");
        Assert.All(MetricCatalog.Sink.Except(MetricCatalog.SinkAfterAGap), name => Assert.Contains($"\n{name}", exposition, StringComparison.Ordinal));
        Assert.Contains("cdc_sink_records_failed_total 1\n", exposition, StringComparison.Ordinal);
        Assert.Contains("cdc_sink_records_processed_total 42\n", exposition, StringComparison.Ordinal);

        // Lag (seconds and records, per partition, back to 0) and throughput, as Prometheus stored them from the scrapes.
        await Eventually.HoldsAsync(
            async () => (await prometheus.QueryAsync("cdc_sink_consumer_lag_records{subsystem=\"risk\"}")) is { Count: 4 } records && records.All(r => r.Value == 0),
            Timeout,
            "the lag in records of the 4 partitions to read 0 in Prometheus");
        var lagSeconds = await prometheus.QueryAsync("cdc_sink_lag_seconds{subsystem=\"risk\"}");
        Assert.Equal(4, lagSeconds.Count);
        Assert.All(lagSeconds, s => Assert.Equal(topic, (string?)s.Labels["topic"]));
        Assert.All(lagSeconds, s => Assert.Equal(0, s.Value));
        Assert.Equal(40, (await prometheus.QueryAsync("sum(cdc_sink_events_applied_total{subsystem=\"risk\",op=\"c\"})")).Single().Value);
        Assert.True((await prometheus.QueryAsync("sum(increase(cdc_sink_events_applied_total{subsystem=\"risk\"}[5m]))")).Single().Value > 0, "throughput over the outage's recovery");

        // Polly's telemetry (through Polly.Extensions): the store pipeline's retries and its circuit opening; Npgsql's commands.
        var events = await prometheus.QueryAsync("resilience_polly_strategy_events_total{pipeline_name=\"cdc-sink-store\"}");
        Assert.Contains(events, e => (string?)e.Labels["event_name"] == "OnRetry" && e.Value > 0);
        Assert.Contains(events, e => (string?)e.Labels["event_name"] == "OnCircuitOpened" && e.Value > 0);
        Assert.Contains(await prometheus.QueryAsync("resilience_polly_strategy_events_total{pipeline_name=\"cdc-sink-paused\",event_name=\"OnRetry\"}"), e => e.Value > 0);
        Assert.NotEmpty(await prometheus.QueryAsync("db_client_operation_duration_seconds_count{subsystem=\"risk\"}"));
    }

    private static bool IsLagAlert(JsonNode? alert) => (string?)alert?["labels"]?["alertname"] == LagAlert;

    /// <summary>The production rule, made fast: the threshold (its last term) becomes 1 s and <c>for</c> 0.</summary>
    private static async Task<JsonArray> LagRuleForTestAsync() =>
        [new JsonObject { ["name"] = "cdc-sink-test", ["rules"] = new JsonArray(await AlertRules.FastAsync(LagAlert, threshold: "1")) }];

    private static JsonArray ScrapeConfig(int port) =>
    [
        new JsonObject
        {
            ["job_name"] = "cdc-sink",
            ["static_configs"] = new JsonArray(new JsonObject
            {
                ["targets"] = new JsonArray($"127.0.0.1:{port}"),
                ["labels"] = new JsonObject { ["subsystem"] = "risk" },
            }),
        },
    ];

    /// <summary>
    /// No new connection to the database is allowed and the sink's are ended: every store call fails, so the sink
    /// pauses, retries, opens its circuit; records wait in Kafka and lag grows.
    /// </summary>
    private async Task MakeUnreachableAsync(string database, bool unreachable)
    {
        await ExecuteAsync(postgres.AdminConnectionString, $"ALTER DATABASE {Cdc.Common.Postgres.PgIdentifier.Quote(database)} ALLOW_CONNECTIONS {(unreachable ? "false" : "true")}");
        if (unreachable)
        {
            await ExecuteAsync(postgres.AdminConnectionString, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", ("database", database));
        }
    }

    private static void Produce(IProducer<byte[], byte[]?> producer, string topic, Range ids)
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        for (var id = ids.Start.Value; id <= ids.End.Value; id++)
        {
            var sequence = $"[\\\"{id * 10}\\\",\\\"{(id * 10) + 1}\\\"]";
            var value = $$"""
                {"before":null,"after":{"id":{{id}},"status":"new"},"source":{"version":"3.1.0.Final","connector":"postgresql","name":"shop","ts_ms":{{now}},"snapshot":"false","db":"shop","sequence":"{{sequence}}","schema":"public","table":"orders","txId":{{id}},"lsn":{{(id * 10) + 1}},"xmin":null},"transaction":null,"op":"c","ts_ms":{{now}}}
                """;
            producer.Produce(topic, new Message<byte[], byte[]?> { Key = Key(id), Value = Encoding.UTF8.GetBytes(value) });
        }
    }

    private static byte[] Key(long id) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"id":{{id}}}"""));

    private static async Task<long> CountAsync(string store)
    {
        try
        {
            await using var connection = new NpgsqlConnection(store);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM public.orders", connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException)
        {
            return -1; // connections not allowed right now
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
