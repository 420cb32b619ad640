using System.Text.Json.Nodes;
using Cdc.Common.Postgres;
using Cdc.Deploy.Tests.Support;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Deploy.Tests.Compose;

/// <summary>deploy/postgres/init, run on the real PostgreSQL 15 as the postgres image would, inside a rolled-back transaction (roles are cluster-wide).</summary>
public sealed class PrimaryInitSqlTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task InitSql_CreatesTheDemoSchema_AndDebeziumCanPublishAndHeartbeat_AndTheExporterReadsSlots()
    {
        var connector = JsonNode.Parse(Repository.Read("connectors/debezium/shop-connector.json"))!;
        var database = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()).Database!;
        var init = Repository.Read("deploy/postgres/init/01-shop.sql").Replace("ON DATABASE shop", "ON DATABASE " + PgIdentifier.Quote(database), StringComparison.Ordinal);
        var tables = ((string)connector["table.include.list"]!).Split(',').Select(t => string.Join('.', t.Split('.').Select(PgIdentifier.Quote)));
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres.AdminConnectionString) { Database = database }.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        await Execute(connection, init);
        await Execute(connection, "SET ROLE debezium");
        await Execute(connection, $"CREATE PUBLICATION {PgIdentifier.Quote((string)connector["publication.name"]!)} FOR TABLE {string.Join(", ", tables)}");
        await Execute(connection, (string)connector["heartbeat.action.query"]!);
        await Execute(connection, (string)connector["heartbeat.action.query"]!);
        await Execute(connection, "RESET ROLE; SET ROLE reconciler");
        await Execute(connection, "INSERT INTO cdc.debezium_signal (id, type, data) VALUES ('r1', 'execute-snapshot', '{\"data-collections\":[\"public.orders\"],\"type\":\"incremental\"}')");
        await Execute(connection, "RESET ROLE; SET ROLE exporter");
        var slotQuery = (string)(await Yaml.LoadAsync("deploy/postgres-exporter/queries.yml"))["pg_slot"]!["query"]!;
        var slots = await Scalar(connection, $"SELECT count(*) FROM ({slotQuery}) AS q");
        await Execute(connection, "RESET ROLE");

        Assert.Equal(1000L, await Scalar(connection, "SELECT count(*) FROM public.orders"));
        Assert.Equal(1L, await Scalar(connection, "SELECT count(*) FROM cdc.heartbeat"));
        Assert.Equal(3L, await Scalar(connection, "SELECT count(*) FROM pg_publication_tables"));
        Assert.IsType<long>(slots);
        await transaction.RollbackAsync();
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
