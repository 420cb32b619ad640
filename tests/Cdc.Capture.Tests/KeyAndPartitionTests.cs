using Cdc.Capture.Tests.Support;
using Cdc.Testing;

namespace Cdc.Capture.Tests;

/// <summary>
/// What the sink and the reconciler must agree with (issue 14): a listed partitioned table is published as its leaf
/// partitions, snapshot and stream alike, partitions attached later included; a table without a primary key is keyed
/// by its unique index, as Debezium keys it.
/// </summary>
public sealed class KeyAndPartitionTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task A_listed_partitioned_table_is_snapshotted_and_streamed_as_its_partitions()
    {
        const string setup = """
            CREATE TABLE t_part (id int, region text, qty int, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
            CREATE TABLE t_part_eu PARTITION OF t_part FOR VALUES IN ('eu');
            CREATE TABLE t_part_us PARTITION OF t_part FOR VALUES IN ('us');
            INSERT INTO t_part VALUES (1, 'eu', 1), (2, 'us', 2);
            """;
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, setup, "public.t_part");
        await using var capture = await bed.StartAsync();
        using var leaves = bed.Reader("public.t_part_eu", "public.t_part_us", "public.t_part_asia");
        await CaptureTestBed.UntilStreamingAsync(capture);

        await bed.ExecuteAsync("UPDATE t_part SET region = 'us' WHERE id = 1");
        await bed.ExecuteAsync("CREATE TABLE t_part_asia PARTITION OF t_part FOR VALUES IN ('asia'); INSERT INTO t_part VALUES (3, 'asia', 3)");
        var records = await leaves.ReadUntilAsync(
            r => r.Count(x => x.Op != "tombstone" && x.Event!.Source.Table != "t_part_asia") >= 4 && r.Any(x => x.Event?.Source.Table == "t_part_asia"),
            TimeSpan.FromSeconds(60), "snapshot and streamed changes of the partitions");
        var changes = records.Where(r => r.Op != "tombstone").Select(r => $"{r.Event!.Source.Table} {r.Op} {r.KeyText}").ToList();

        Assert.Equal(
            ["t_part_eu d 1", "t_part_eu r 1", "t_part_us c 1", "t_part_us r 2"],
            changes.Where(c => !c.StartsWith("t_part_asia ", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        // The attached partition joined the captured set: its row arrives streamed (c), read by the partition's
        // incremental snapshot (r), or both, whichever reaches Kafka first; always as the leaf, never the parent.
        Assert.All(changes.Where(c => c.StartsWith("t_part_asia ", StringComparison.Ordinal)), c => Assert.Contains(c, new[] { "t_part_asia c 3", "t_part_asia r 3" }));
        using var parent = bed.Reader("public.t_part");
        Assert.Empty(await parent.SettleAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_table_without_a_primary_key_is_keyed_by_its_unique_index()
    {
        const string setup = """
            CREATE TABLE t (code text NOT NULL, qty int);
            CREATE UNIQUE INDEX t_code ON t (code);
            ALTER TABLE t REPLICA IDENTITY USING INDEX t_code;
            INSERT INTO t VALUES ('a', 1);
            """;
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, setup, "public.t");
        await using var capture = await bed.StartAsync();
        using var reader = bed.Reader("public.t");
        await CaptureTestBed.UntilStreamingAsync(capture);

        await bed.ExecuteAsync("UPDATE t SET qty = 2 WHERE code = 'a'; DELETE FROM t WHERE code = 'a'");
        var records = await reader.ReadUntilAsync(r => r.Count >= 4, TimeSpan.FromSeconds(60), "read, update, delete and tombstone");

        Assert.Equal(["r a", "u a", "d a", "tombstone a"], records.Select(r => $"{r.Op} {r.KeyText}"));
        Assert.All(records, r => Assert.Equal("code", Assert.Single(r.Change.Key!).Name));
    }
}
