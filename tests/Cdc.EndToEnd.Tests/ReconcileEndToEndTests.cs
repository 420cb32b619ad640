using System.Text.Json;
using Cdc.Testing;
using Cdc.Verdict;
using Npgsql;

namespace Cdc.EndToEnd.Tests;

/// <summary>
/// Tables the reconciler used to refuse, through the real pipeline as an operator starts it (<c>cdc kafka</c>,
/// <c>cdc capture</c>, <c>cdc sink</c>, then <c>cdc reconcile</c>, each its own process with the README's flags): a
/// partitioned table (published and stored as its leaf partitions), a table keyed by a unique index, and a table of
/// domain, composite, enum and network types the store keeps as text. Every table is compared, equal after the
/// stream, then the drift planted in the store is found exactly, repaired, and the independent verdict agrees.
/// </summary>
public sealed class ReconcileEndToEndTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Schema = """
        CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
        CREATE TYPE pair AS (n integer, label text);
        CREATE TYPE mood AS ENUM ('sad', 'happy');
        CREATE TABLE t_part (id integer, region text, qty integer, note text, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
        CREATE TABLE t_part_eu PARTITION OF t_part FOR VALUES IN ('eu');
        CREATE TABLE t_part_us PARTITION OF t_part FOR VALUES IN ('us');
        CREATE TABLE t_code (code text NOT NULL, qty integer, note text);
        CREATE UNIQUE INDEX t_code_key ON t_code (code);
        ALTER TABLE t_code REPLICA IDENTITY USING INDEX t_code_key;
        CREATE TABLE t_types (id integer PRIMARY KEY, d posint, c pair, ip inet, net cidr, mac macaddr, m mood, r int4range);
        INSERT INTO t_part SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, g, 'n' || g FROM generate_series(1, 200) g;
        INSERT INTO t_code SELECT 'c' || g, g, NULL FROM generate_series(1, 100) g;
        INSERT INTO t_types SELECT g, g, ROW(g, 'label "' || g || '"')::pair, ('10.0.' || (g % 250) || '.1')::inet, '10.0.0.0/8', '08:00:2b:01:02:03',
            CASE WHEN g % 2 = 0 THEN 'sad' ELSE 'happy' END::mood, int4range(g, g + 10) FROM generate_series(1, 100) g;
        """;

    private const string Streamed = """
        UPDATE t_part SET region = 'us' WHERE id = 4;
        UPDATE t_part SET qty = -qty WHERE id % 10 = 3;
        DELETE FROM t_part WHERE id = 5;
        INSERT INTO t_part VALUES (1001, 'eu', 1, 'new'), (1002, 'us', 2, NULL);
        UPDATE t_code SET qty = 0, note = 'zero' WHERE code IN ('c7', 'c8');
        DELETE FROM t_code WHERE code = 'c9';
        INSERT INTO t_code VALUES ('c101', 101, 'new');
        UPDATE t_types SET ip = '::1', c = ROW(NULL, '')::pair, d = NULL WHERE id = 3;
        INSERT INTO t_types VALUES (101, 5, ROW(1, 'a,b')::pair, '192.168.0.1/24', '::/0', 'ff:ff:ff:ff:ff:ff', 'happy', 'empty');
        """;

    private static readonly string[] Tables = ["public.t_part", "public.t_code", "public.t_types"];
    private static readonly string[] Topics = ["cdc.public.t_part_eu", "cdc.public.t_part_us", "cdc.public.t_code", "cdc.public.t_types"];

    [Fact]
    public async Task Partitioned_unique_index_keyed_and_text_kept_types_are_reconciled_through_capture_and_sink()
    {
        var primary = await postgres.CreateDatabaseAsync();
        var store = await postgres.CreateDatabaseAsync();
        var slot = $"e2e_{Guid.NewGuid():N}"[..20];
        await ExecuteAsync(primary, Schema);
        using var kafka = CliProcess.Start(["kafka", "--topics", string.Join(',', Topics), "--partitions", "4"]);
        var bootstrap = await FirstLineAsync(kafka);
        using var capture = CliProcess.Start(
            ["capture", "--source", primary, "--bootstrap-servers", bootstrap, "--topic-prefix", "cdc", "--tables", string.Join(',', Tables), "--slot", slot, "--publication", slot]);
        // The sink's configuration file, which the reconciler reads too (consumer group, topics, mapping).
        var config = Path.GetTempFileName();
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { Kafka = new { GroupId = "e2e", Topics } }));
        using var sink = CliProcess.Start(["sink", "--config", config, "--bootstrap-servers", bootstrap, "--store", store]);
        try
        {
            try
            {
                await Wait.UntilAsync(() => RowsAsync(store, "t_types", 100), TimeSpan.FromSeconds(90), "the snapshot in the store");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}\ncapture: {capture.Output}\nsink: {sink.Output}", e);
            }

            await ExecuteAsync(primary, Streamed);
            string[] reconcile = ["reconcile", "--primary", primary, "--store", store, "--tables", string.Join(',', Tables), "--sink-config", config, "--bootstrap-servers", bootstrap, "--slot", slot, "--json"];

            var equal = await RunAsync(reconcile);
            Assert.True(equal.ExitCode == 0, equal.Output);
            Assert.Equal(["public.t_code", "public.t_part_eu", "public.t_part_us", "public.t_types"], Compared(equal.Json));
            Assert.True((await VerdictAsync(primary, store)).Equal);

            await ExecuteAsync(store, """
                DELETE FROM t_part_eu WHERE id = 10;
                INSERT INTO t_part_us SELECT 9999, region, qty, note, _cdc_commit_lsn, _cdc_event_lsn FROM t_part_us WHERE id = 1;
                UPDATE t_code SET note = '\N' WHERE code = 'c20';
                UPDATE t_types SET ip = '10.0.1.2', c = '(1,"x")' WHERE id = 1
                """);
            var drift = await RunAsync([.. reconcile, "--repair", "direct"]);
            Assert.True(drift.ExitCode == 1, drift.Output);
            Assert.Equal(
                ["public.t_code divergent c20 note", "public.t_part_eu missing 10,eu", "public.t_part_us extra 9999,us", "public.t_types divergent 1 c,ip"],
                Findings(drift.Json));
            var verdict = await VerdictAsync(primary, store);
            Assert.True(verdict.Equal, verdict.ToString());
            Assert.Equal(0, (await RunAsync(reconcile)).ExitCode);
        }
        finally
        {
            foreach (var process in new[] { sink, capture, kafka })
            {
                process.Terminate();
                await process.WaitForExitAsync(TimeSpan.FromSeconds(20));
            }

            await ExecuteAsync(postgres.AdminConnectionString, $"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{slot}'");
            File.Delete(config);
        }
    }

    private static Task<StoreVerdict> VerdictAsync(string primary, string store) =>
        IndependentVerdict.CompareAsync(primary, store, new[] { "t_part_eu", "t_part_us", "t_code", "t_types" }.Select(t => VerdictTable.Same("public", t)));

    private static async Task<(int ExitCode, string Output, JsonElement Json)> RunAsync(string[] args)
    {
        using var process = CliProcess.Start(args);
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromMinutes(2)), process.Output);
        var output = process.Output;
        var json = output[output.IndexOf("{\n", StringComparison.Ordinal)..(output.LastIndexOf('}') + 1)];
        return (process.ExitCode, output, JsonDocument.Parse(json).RootElement.Clone());
    }

    private static List<string> Compared(JsonElement result) =>
        [.. result.GetProperty("tables").EnumerateArray()
            .Where(t => t.GetProperty("refusal").ValueKind == JsonValueKind.Null && t.GetProperty("skipped_columns").GetArrayLength() == 0)
            .Select(t => t.GetProperty("table").GetString()!).Order(StringComparer.Ordinal)];

    private static List<string> Findings(JsonElement result) =>
        [.. result.GetProperty("tables").EnumerateArray().SelectMany(t => t.GetProperty("findings").EnumerateArray().Select(f =>
            $"{t.GetProperty("table").GetString()} {f.GetProperty("kind").GetString()} {string.Join(",", f.GetProperty("key").EnumerateArray().Select(k => k.GetString()))}"
            + (f.GetProperty("columns").GetArrayLength() > 0 ? " " + string.Join(",", f.GetProperty("columns").EnumerateArray().Select(c => c.GetString())) : "")))
            .Order(StringComparer.Ordinal)];

    private static async Task<string> FirstLineAsync(CliProcess process)
    {
        await Wait.UntilAsync(() => Task.FromResult(process.Output.Contains('\n', StringComparison.Ordinal) || process.HasExited), TimeSpan.FromSeconds(30), "cdc kafka's bootstrap line");
        return process.Output.Split('\n')[0].Trim();
    }

    private static async Task<bool> RowsAsync(string connection, string table, long rows)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand($"SELECT count(*) FROM pg_class WHERE relname = '{table}' AND relkind = 'r'");
        if ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            return false;
        }

        await using var count = source.CreateCommand($"SELECT count(*) FROM public.{table}");
        return (long)(await count.ExecuteScalarAsync())! >= rows;
    }

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
