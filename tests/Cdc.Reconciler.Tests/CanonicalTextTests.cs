using Cdc.Reconciler.Tests.Support;
using Cdc.Testing;

namespace Cdc.Reconciler.Tests;

/// <summary>
/// Each column pair the sink's mapping produces (and a few a user may create): row 1 holds values equal under the
/// mapping in another text, another type, another time zone or collation, which must compare equal; row 2 holds a true
/// difference in every column, which must be found in exactly that column.
/// </summary>
public sealed class CanonicalTextTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly (string Name, string Primary, string Store, string PrimaryValue, string EqualValue, string DifferentValue)[] Columns =
    [
        ("j", "json", "jsonb", """'{"b": 1,  "a": [1, 2]}'""", """'{"a":[1,2],"b":1}'""", """'{"a":[1,2],"b":2}'"""),
        ("n_fixed", "numeric", "numeric(12,2)", "1.5", "1.50", "1.51"),
        ("n_free", "numeric", "numeric", "1.50", "1.50", "1.5"),
        ("ts", "timestamptz", "timestamptz", "'2024-03-01 12:00:00.5+02'", "'2024-03-01 10:00:00.5+00'", "'2024-03-01 10:00:00.500001+00'"),
        ("c5", "char(5)", "text", "'ab'", "'ab   '", "'ac   '"),
        ("tz", "timetz", "timetz", "'10:00:00+02'", "'08:00:00+00'", "'08:00:01+00'"),
        ("m", "money", "numeric", "12.34", "12.34", "12.35"),
        ("f", "double precision", "double precision", "0.1", "0.1", "0.10000000000000002"),
        ("r4", "real", "real", "0.1", "0.1", "0.100000009"),
        ("iv", "interval", "interval", "'1 mon 2 days 03:04:05.123456'", "'1 mon 2 days 03:04:05.123456'", "'32 days 03:04:05.123456'"),
        ("ivd", "interval", "interval", "'1 day'", "'1 day'", "'24:00:00'"),
        ("b1", "bit(1)", "boolean", "B'1'", "true", "false"),
        ("arr", "varchar(10)[]", "text[]", """'{a,"b c"}'""", """'{a,"b c"}'""", """'{a,"b  c"}'"""),
        ("ci", "text COLLATE ci", "text", "'ABC'", "'ABC'", "'abc'"),
        ("tr", "text", "text", "'x'", "'x'", "'x '"),
        ("e", "mood", "text", "'happy'", "'happy'", "'sad'"),
        ("rng", "int4range", "text", "'[1,10)'", "'[1,10)'", "'[1,11)'"),
        ("pt", "point", "jsonb", "'(1.5,2)'", """'{"x":1.5,"y":2.0,"wkb":"AQEAAAAAAAAAAAD4PwAAAAAAAABA","srid":null}'""", """'{"x":1.5,"y":3.0,"wkb":null,"srid":null}'"""),
        ("arrj", "json[]", "jsonb[]", """ARRAY['{"b":1, "a":2}']::json[]""", """ARRAY['{"a":2,"b":1}']::jsonb[]""", """ARRAY['{"a":2}']::jsonb[]"""),
        ("nul", "text", "text", "NULL", "NULL", "''"),
    ];

    [Fact]
    public async Task Values_equal_under_the_mapping_compare_equal_and_every_true_difference_is_found_in_its_column()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await SetTimeZoneAsync(bed.Primary, "Asia/Tokyo");
        await SetTimeZoneAsync(bed.Store, "America/New_York");
        await bed.OnPrimaryAsync("""
            CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
            CREATE TYPE mood AS ENUM ('sad', 'happy')
            """);
        await bed.OnPrimaryAsync($"CREATE TABLE public.t (id int PRIMARY KEY, {string.Join(", ", Columns.Select(c => $"{c.Name} {c.Primary}"))})");
        await bed.OnStoreAsync($"CREATE TABLE public.t (id int PRIMARY KEY, {string.Join(", ", Columns.Select(c => $"{c.Name} {c.Store}"))}, _cdc_commit_lsn bigint, _cdc_event_lsn bigint)");
        await bed.OnPrimaryAsync($"INSERT INTO t VALUES (1, {string.Join(", ", Columns.Select(c => c.PrimaryValue))}), (2, {string.Join(", ", Columns.Select(c => c.PrimaryValue))})");
        await bed.OnStoreAsync($"INSERT INTO t VALUES (1, {string.Join(", ", Columns.Select(c => c.EqualValue))}, 1, 1), (2, {string.Join(", ", Columns.Select(c => c.DifferentValue))}, 1, 1)");

        var result = await ReconcileJob.RunAsync(bed.Options("public.t"), TextWriter.Null);

        var table = result.Tables.Single();
        Assert.Null(table.Refusal);
        Assert.Empty(table.Skipped);
        var finding = Assert.Single(table.Findings);
        Assert.Equal(("2", DriftKind.Divergent), (finding.KeyDisplay, finding.Kind));
        Assert.Equal(Columns.Select(c => c.Name), finding.Columns);
    }

    private static async Task SetTimeZoneAsync(Npgsql.NpgsqlDataSource database, string zone) =>
        await ReconcileBed.ExecuteAsync(database, $"DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET timezone = %L', current_database(), '{zone}'); END $$");
}
