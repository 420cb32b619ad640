using System.Text.Json.Nodes;
using Cdc.Common.Postgres;
using Cdc.Deploy.Tests.Support;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Deploy.Tests.Prometheus;

/// <summary>
/// The slot monitoring of the compose stack, for real: Debian's postgres_exporter 0.11.1 (the version compose pins)
/// runs against the local PostgreSQL with deploy/postgres-exporter/queries.yml, as a role with pg_monitor only (the
/// compose primary's <c>exporter</c>), and the real Prometheus evaluates the production slot rules (their <c>for</c>
/// set to 0, the WAL threshold lowered to 1 MiB) while a slot is held back: created, then WAL written past it, and
/// nothing consuming it, as when Debezium's task is down. Both alerts fire for that slot; dropping it resolves them.
/// </summary>
public sealed class SlotAlertEndToEndTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string RetainedAlert = "CdcCaptureSlotRetainedWalHigh";
    private const string InactiveAlert = "CdcCaptureSlotInactive";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SlotAlerts_FireWhileASlotIsHeldBack_AndResolveWhenItIsDropped()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var (role, password, slot) = ($"cdc_t_exporter_{id}", $"pw-{id}", $"cdc_t_held_{id}");
        var database = await postgres.CreateDatabaseAsync();
        await ExecuteAsync(postgres.AdminConnectionString, $"CREATE ROLE {PgIdentifier.Quote(role)} LOGIN PASSWORD '{password}' IN ROLE pg_monitor");
        try
        {
            await ExecuteAsync(database, $"SELECT pg_create_logical_replication_slot('{slot}', 'pgoutput')");
            // About 3 MB of WAL past the slot's restart LSN, which nothing consumes.
            await ExecuteAsync(database, "CREATE TABLE filler AS SELECT g, repeat('x', 100) AS pad FROM generate_series(1, 20000) AS g");
            var watcher = new NpgsqlConnectionStringBuilder(postgres.AdminConnectionString) { Username = role, Password = password, Database = "postgres" };
            await using var exporter = await PostgresExporter.StartAsync(watcher.ConnectionString);
            var exposition = await exporter.MetricsAsync();
            Assert.Contains($"pg_slot_active{{database=\"{new NpgsqlConnectionStringBuilder(database).Database}\",plugin=\"pgoutput\"", exposition, StringComparison.Ordinal);
            Assert.Contains($"slot=\"{slot}\"", exposition, StringComparison.Ordinal);

            JsonArray rules =
            [
                new JsonObject
                {
                    ["name"] = "cdc-capture-test",
                    ["rules"] = new JsonArray(await AlertRules.FastAsync(RetainedAlert, threshold: "1048576"), await AlertRules.FastAsync(InactiveAlert)),
                },
            ];
            await using var prometheus = await PrometheusServer.StartAsync(ScrapeConfig(exporter.Port), rules);

            await Eventually.HoldsAsync(
                async () => Firing(await prometheus.AlertsAsync(), slot).Count == 2,
                Timeout,
                "both slot alerts to fire for the held-back slot",
                async () => (await prometheus.AlertsAsync()).ToJsonString());
            var firing = Firing(await prometheus.AlertsAsync(), slot);
            Assert.Equal([InactiveAlert, RetainedAlert], firing.Select(a => (string)a["labels"]!["alertname"]!).Order(StringComparer.Ordinal));
            Assert.All(firing, a => Assert.Equal("page", (string?)a["labels"]!["severity"]));
            Assert.Contains(firing, a => ((string)a["annotations"]!["summary"]!).StartsWith($"replication slot {slot} has no consumer and holds ", StringComparison.Ordinal));

            await ExecuteAsync(database, $"SELECT pg_drop_replication_slot('{slot}')");
            await Eventually.HoldsAsync(
                async () => Firing(await prometheus.AlertsAsync(), slot).Count == 0 && !(await prometheus.AlertsAsync()).Any(a => (string?)a!["labels"]!["slot"] == slot),
                Timeout,
                "the slot alerts to resolve once the slot is dropped",
                async () => (await prometheus.AlertsAsync()).ToJsonString());
        }
        finally
        {
            await ExecuteAsync(postgres.AdminConnectionString, $"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{slot}'");
            await ExecuteAsync(postgres.AdminConnectionString, $"DROP ROLE IF EXISTS {PgIdentifier.Quote(role)}");
        }
    }

    private static List<JsonNode> Firing(JsonArray alerts, string slot) =>
        [.. alerts.Where(a => (string?)a!["labels"]!["slot"] == slot && (string?)a["state"] == "firing").Select(a => a!)];

    private static JsonArray ScrapeConfig(int port) =>
    [
        new JsonObject
        {
            ["job_name"] = "cdc-postgres-exporter",
            ["static_configs"] = new JsonArray(new JsonObject { ["targets"] = new JsonArray($"127.0.0.1:{port}") }),
        },
    ];

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
