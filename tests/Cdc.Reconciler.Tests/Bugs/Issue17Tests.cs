using Cdc.Reconciler.Tests.Support;
using Cdc.Testing;

namespace Cdc.Reconciler.Tests.Bugs;

/// <summary>
/// Issue 17: the row hash reads cheaper forms than text where they are exact, and chunks are compared on several
/// connections at once; neither may hide a difference or lose a finding.
/// </summary>
public sealed class Issue17Tests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Versions = "_cdc_commit_lsn bigint, _cdc_event_lsn bigint";

    /// <summary>Each pair is equal under a weaker hash: PostgreSQL's own hash of the type, a joined text, or one that loses NULL.</summary>
    private static readonly (string Table, string Columns, string Primary, string Store)[] Collisions =
    [
        ("int8_halves", "v bigint", "1", "4294967296"),
        ("tstz_halves", "v timestamptz", "'2000-01-01 00:00:00.000001+00'", "'2000-01-01 01:11:34.967296+00'"),
        ("ts_halves", "v timestamp", "'2000-01-01 00:00:00.000001'", "'2000-01-01 01:11:34.967296'"),
        ("time_halves", "v time", "'00:00:00.000001'", "'01:11:34.967296'"),
        ("numeric_scale", "v numeric", "1.5", "1.50"),
        ("interval_day", "v interval", "'1 day'", "'24:00:00'"),
        ("float_zero", "v double precision", "'-0'", "0"),
        ("jsonb_scale", "v jsonb", """'{"a": 1.0}'""", """'{"a": 1.00}'"""),
        ("text_null", "v text", "NULL", "''"),
        ("bytea_null", "v bytea", "NULL", "'\\x'"),
        ("text_boundary", "a text, b text", "'ab', 'c'", "'a', 'bc'"),
        ("int_boundary", "a int, b bigint", "1, NULL", "NULL, 1"),
    ];

    [Fact]
    public async Task Values_a_weaker_row_hash_would_take_for_equal_are_found()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        foreach (var (table, columns, primary, store) in Collisions)
        {
            await bed.OnPrimaryAsync($"CREATE TABLE public.{table} (id int PRIMARY KEY, {columns}); INSERT INTO {table} VALUES (1, {primary})");
            await bed.OnStoreAsync($"CREATE TABLE public.{table} (id int PRIMARY KEY, {columns}, {Versions}); INSERT INTO {table} VALUES (1, {store}, 1, 1)");
        }

        var result = await ReconcileJob.RunAsync(bed.Options([.. Collisions.Select(c => $"public.{c.Table}")]), TextWriter.Null);

        // One row per table: a hash that took the two rows for equal would leave its table without a finding.
        Assert.Equal(
            Collisions.Select(c => $"{c.Table}: divergent 1"),
            result.Tables.Select(t => $"{t.Table["public.".Length..]}: {string.Join("; ", t.Findings.Select(f => $"{Names.Of(f.Kind)} {f.KeyDisplay}"))}"));
    }

    [Fact]
    public async Task Drift_in_chunks_compared_at_once_is_all_found()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        // An integer key spread over 1,000,000 keys and a composite key of 150,000 rows: several chunks each.
        foreach (var (database, versions, values) in new[] { (bed.Primary, "", ""), (bed.Store, $", {Versions}", ", 1, 1") })
        {
            await ReconcileBed.ExecuteAsync(database, $"""
                CREATE TABLE public.spread (id bigint PRIMARY KEY, v int{versions});
                INSERT INTO spread SELECT g * 1000, g{values} FROM generate_series(1, 1000) g;
                CREATE TABLE public.pairs (a bigint, b int, v int{versions}, PRIMARY KEY (a, b));
                INSERT INTO pairs SELECT g / 10, g % 10, g{values} FROM generate_series(1, 150000) g;
                ANALYZE spread; ANALYZE pairs
                """);
        }

        await bed.OnStoreAsync("""
            UPDATE spread SET v = -1 WHERE id IN (2000, 500000, 999000);
            DELETE FROM spread WHERE id = 250000;
            DELETE FROM pairs WHERE (a, b) IN ((1, 1), (14999, 9));
            UPDATE pairs SET v = -1 WHERE (a, b) IN ((7000, 3), (12000, 0));
            INSERT INTO pairs VALUES (9000, 11, 0, 1, 1)
            """);

        var result = await ReconcileJob.RunAsync(bed.Options("public.spread", "public.pairs"), TextWriter.Null);

        Assert.Equal(
            ["divergent 12000,0", "divergent 2000", "divergent 500000", "divergent 7000,3", "divergent 999000", "extra 9000,11", "missing 1,1", "missing 14999,9", "missing 250000"],
            result.Tables.SelectMany(t => t.Findings).Select(f => $"{Names.Of(f.Kind)} {f.KeyDisplay}").Order(StringComparer.Ordinal));
        Assert.All(result.Tables, t => Assert.Null(t.Refusal));
    }
}
