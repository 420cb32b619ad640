using Cdc.Reconciler.Tests.Support;
using Cdc.Testing;

namespace Cdc.Reconciler.Tests.Bugs;

/// <summary>
/// Issue 14: each way the reconciler was fooled or refused a table the sink replicates, in the shape a user met it.
/// The store tables are laid out as the sink makes them (version columns, types kept as text).
/// </summary>
public sealed class Issue14Tests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Versions = "_cdc_commit_lsn bigint, _cdc_event_lsn bigint";

    [Fact]
    public async Task A_null_on_the_primary_and_the_text_backslash_N_in_the_store_differ()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await bed.OnPrimaryAsync("CREATE TABLE public.t (id int PRIMARY KEY, a text); INSERT INTO t VALUES (1, NULL), (2, 'x')");
        await bed.OnStoreAsync($"CREATE TABLE public.t (id int PRIMARY KEY, a text, {Versions}); INSERT INTO t VALUES (1, E'\\\\N', 1, 1), (2, 'x', 1, 1)");

        var result = await ReconcileJob.RunAsync(bed.Options("public.t"), TextWriter.Null);

        Assert.Equal(["divergent 1 a"], Describe(result));
    }

    [Fact]
    public async Task A_separator_character_moved_from_one_column_to_the_next_is_a_difference()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await bed.OnPrimaryAsync("CREATE TABLE public.t (id int PRIMARY KEY, a text, b text); INSERT INTO t VALUES (1, 'x' || chr(31) || 'y', 'z')");
        await bed.OnStoreAsync($"CREATE TABLE public.t (id int PRIMARY KEY, a text, b text, {Versions}); INSERT INTO t VALUES (1, 'x', 'y' || chr(31) || 'z', 1, 1)");

        var result = await ReconcileJob.RunAsync(bed.Options("public.t"), TextWriter.Null);

        Assert.Equal(["divergent 1 a,b"], Describe(result));
    }

    [Fact]
    public async Task Composite_keys_that_join_to_the_same_text_are_different_rows()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await bed.OnPrimaryAsync("CREATE TABLE public.t (a text, b text, v int, PRIMARY KEY (a, b)); INSERT INTO t VALUES ('x' || chr(31) || 'y', 'z', 1)");
        await bed.OnStoreAsync($"CREATE TABLE public.t (a text, b text, v int, {Versions}, PRIMARY KEY (a, b)); INSERT INTO t VALUES ('x', 'y' || chr(31) || 'z', 1, 1, 1)");

        var result = await ReconcileJob.RunAsync(bed.Options("public.t"), TextWriter.Null);

        Assert.Equal(["extra x,y\u001fz", "missing x\u001fy,z"], Describe(result));
    }

    [Fact]
    public async Task A_partitioned_table_is_compared_leaf_by_leaf_as_the_connector_publishes_it()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await bed.OnPrimaryAsync("""
            CREATE TABLE public.t_part (id int, region text, qty int, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
            CREATE TABLE public.t_part_eu PARTITION OF public.t_part FOR VALUES IN ('eu');
            CREATE TABLE public.t_part_us PARTITION OF public.t_part FOR VALUES IN ('us');
            INSERT INTO t_part SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, g FROM generate_series(1, 100) g
            """);
        foreach (var leaf in new[] { "eu", "us" })
        {
            await bed.OnStoreAsync($"""
                CREATE TABLE public.t_part_{leaf} (id int, region text, qty int, {Versions}, PRIMARY KEY (id, region));
                INSERT INTO t_part_{leaf} SELECT g, '{leaf}', g, 1, 1 FROM generate_series(1, 100) g WHERE (g % 2 = 0) = ('{leaf}' = 'eu')
                """);
        }

        await bed.OnStoreAsync("UPDATE t_part_us SET qty = -1 WHERE id = 7; DELETE FROM t_part_eu WHERE id = 8");

        var result = await ReconcileJob.RunAsync(bed.Options("public.t_part"), TextWriter.Null);

        Assert.All(result.Tables, t => Assert.Null(t.Refusal));
        Assert.Equal(["divergent 7,us qty", "missing 8,eu"], Describe(result));
        Assert.Equal(100, result.RowsCompared);
    }

    [Fact]
    public async Task A_table_keyed_by_a_unique_index_is_compared_as_the_sink_applies_it()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await bed.OnPrimaryAsync("""
            CREATE TABLE public.t (code text NOT NULL, qty int);
            CREATE UNIQUE INDEX t_code ON public.t (code);
            ALTER TABLE public.t REPLICA IDENTITY USING INDEX t_code;
            INSERT INTO t SELECT 'c' || g, g FROM generate_series(1, 50) g
            """);
        await bed.OnStoreAsync($"""
            CREATE TABLE public.t (code text NOT NULL, qty int, {Versions});
            CREATE UNIQUE INDEX t_code ON public.t (code);
            INSERT INTO t SELECT 'c' || g, g, 1, 1 FROM generate_series(1, 50) g;
            UPDATE t SET qty = 0 WHERE code = 'c9'
            """);

        var result = await ReconcileJob.RunAsync(bed.Options("public.t"), TextWriter.Null);

        Assert.Null(result.Tables.Single().Refusal);
        Assert.Equal(["divergent c9 qty"], Describe(result));
    }

    [Fact]
    public async Task Domain_composite_and_inet_columns_kept_as_text_are_compared_column_by_column()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await bed.OnPrimaryAsync("""
            CREATE DOMAIN posint AS int CHECK (VALUE > 0);
            CREATE TYPE pair AS (n int, label text);
            CREATE TABLE public.t (id int PRIMARY KEY, d posint, c pair, ip inet, net cidr);
            INSERT INTO t VALUES (1, 5, ROW(1, 'a b'), '192.168.0.1', '10.0.0.0/8'), (2, 7, ROW(2, NULL), '::1', '::/0'), (3, NULL, NULL, NULL, NULL)
            """);
        // What the pipeline stores: each value's PostgreSQL output text (inet without /32, the composite's row text).
        await bed.OnStoreAsync($"""
            CREATE TABLE public.t (id int PRIMARY KEY, d text, c text, ip text, net text, {Versions});
            INSERT INTO t VALUES (1, '5', '(1,"a b")', '192.168.0.1', '10.0.0.0/8', 1, 1), (2, '7', '(2,)', '::1', '::/0', 1, 1), (3, NULL, NULL, NULL, NULL, 1, 1);
            UPDATE t SET c = '(2,"")' WHERE id = 2
            """);

        var result = await ReconcileJob.RunAsync(bed.Options("public.t"), TextWriter.Null);

        Assert.Null(result.Tables.Single().Refusal);
        Assert.Equal(["divergent 2 c"], Describe(result));
    }

    private static List<string> Describe(ReconcileResult result) =>
        [.. result.Tables.SelectMany(t => t.Findings)
            .Select(f => $"{Names.Of(f.Kind)} {f.KeyDisplay}{(f.Columns.Count > 0 ? " " + string.Join(",", f.Columns) : "")}")
            .Order(StringComparer.Ordinal)];
}
