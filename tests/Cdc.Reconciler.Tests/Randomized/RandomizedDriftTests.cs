using System.Globalization;
using Cdc.Common.Postgres;
using Cdc.Reconciler.Tests.Support;
using Cdc.Sink.Configuration;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Mapping;
using Cdc.Testing;
using Cdc.Verdict;
using Npgsql;

namespace Cdc.Reconciler.Tests.Randomized;

/// <summary>
/// Issue 14's proof: over generated tables of every mapped type, keyed by integers, text, composites of both, uuids,
/// dates, timestamps, numerics and a unique index, written to the store through the sink's own value path and apply,
/// with the primary and the store in different collations (ICU en-US against C) and time zones, drift is planted on
/// both sides: rows missing, extra and changed, with the hard values (separators, <c>\N</c> against NULL, blanks,
/// case and accents, floats one bit apart, signed zeros). The reconciler, in one run with the product's defaults, and
/// the independent verdict must each report exactly the planted set, no more and no less. The seed is printed on
/// failure; <c>CDC_RECONCILE_SEED</c> replays another.
/// </summary>
public sealed class RandomizedDriftTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const int DefaultSeed = 20_261_214;
    private const int TableCount = 52;
    private const int RowsPerTable = 120;
    private const int PlantsPerTable = 24;

    private const string SharedTypes = """
        CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
        CREATE TYPE mood AS ENUM ('sad', 'happy', 'Happy');
        CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
        CREATE TYPE pair AS (n integer, label text)
        """;

    [Fact]
    public async Task Planted_drift_over_generated_tables_is_reported_exactly_by_the_reconciler_and_the_independent_verdict()
    {
        var seed = Environment.GetEnvironmentVariable("CDC_RECONCILE_SEED") is { Length: > 0 } given ? int.Parse(given, CultureInfo.InvariantCulture) : DefaultSeed;
        var random = new Random(seed);
        var primaryConnection = await postgres.CreateDatabaseAsync("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.utf8'");
        var storeConnection = await postgres.CreateDatabaseAsync("TEMPLATE template0 LOCALE 'C'");
        await using var primary = NpgsqlDataSource.Create(primaryConnection);
        await using var store = NpgsqlDataSource.Create(storeConnection);
        foreach (var (source, zone) in new[] { (primary, "Pacific/Chatham"), (store, "America/St_Johns") })
        {
            await ExecuteAsync(source, $"{SharedTypes}; DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET timezone = %L', current_database(), '{zone}'); END $$");
        }

        var tables = Enumerable.Range(0, TableCount).Select(i => Generate(random, i)).ToList();
        var sink = new SinkOptions
        {
            Tables = [.. tables.Select(t => new TableMappingOptions
            {
                Topic = $"cdc.public.{t.Name}",
                DeleteMode = t.DeleteMode,
                Exclude = t.Excluded is { } excluded ? [excluded] : [],
                Rename = t.Rename is { } r ? new() { [r.From] = r.To } : [],
            })],
        };
        await new MetadataTables(sink.MetadataSchema).EnsureAsync(store, CancellationToken.None);
        await using (var reading = ReconcileJob.OpenDataSource(primaryConnection))
        {
            var path = new SinkPath(store, sink);
            foreach (var table in tables)
            {
                await ExecuteAsync(primary, $"{table.CreateSql(store: false)}; {table.InsertSql(table.Rows.Keys)}");
                if (table.SameTypes)
                {
                    await ExecuteAsync(store, table.CreateSql(store: true));
                }

                Assert.Equal(RowsPerTable, await path.CopyAsync(reading, table.Name));
            }
        }

        var planted = new List<PlantedDrift>();
        foreach (var table in tables)
        {
            var planter = new DriftPlanter(random, table);
            planter.Plant(PlantsPerTable);
            await ExecuteAsync(primary, string.Join(";\n", planter.PrimarySql));
            await ExecuteAsync(store, string.Join(";\n", planter.StoreSql));
            planted.AddRange(planter.Planted);
        }

        var result = await ReconcileJob.RunAsync(
            new ReconcileOptions { Primary = primaryConnection, Store = storeConnection, Tables = [.. tables.Select(t => $"public.{t.Name}")], Sink = sink },
            TextWriter.Null);
        var verdict = await IndependentVerdict.CompareAsync(primaryConnection, storeConnection, tables.Select(t => new VerdictTable("public", t.Name, "public", t.Name)
        {
            SoftDeletes = t.DeleteMode == DeleteMode.Soft,
            Excluded = t.Excluded is { } excluded ? new HashSet<string> { excluded } : new HashSet<string>(),
            Renames = t.Rename is { } r ? new Dictionary<string, string> { [r.From] = r.To } : [],
        }));

        Assert.True(planted.Count >= 1_000 && tables.Count >= 50, $"seed {seed}: {planted.Count} differences planted in {tables.Count} tables");
        Assert.True(result.Tables.All(t => t.Refusal is null && t.Skipped.Count == 0),
            $"seed {seed}: {string.Join("; ", result.Tables.Where(t => t.Refusal is not null || t.Skipped.Count > 0).Select(t => $"{t.Table}: {t.Refusal}{string.Join(", ", t.Skipped)}"))}");
        var reconciled = result.Tables.SelectMany(t => t.Findings).Select(f => new PlantedDrift(
            f.Table["public.".Length..], Names.Of(f.Kind), string.Join("\u0001", f.KeyValues), string.Join(",", f.Columns.Order(StringComparer.Ordinal))));
        AssertSame(seed, "the reconciler", planted, reconciled);
        var judged = verdict.Tables.SelectMany(t =>
            t.Missing.Select(r => Judged(t, "missing", r)).Concat(t.Extra.Select(r => Judged(t, "extra", r))).Concat(t.Changed.Select(r => Judged(t, "divergent", r))));
        AssertSame(seed, "the independent verdict", planted, judged);
    }

    private static PlantedDrift Judged(TableVerdict table, string kind, VerdictRow row) =>
        new(table.Table.PrimaryTable, kind, string.Join("\u0001", row.Key), string.Join(",", row.Columns.Order(StringComparer.Ordinal)));

    private static void AssertSame(int seed, string judge, IReadOnlyCollection<PlantedDrift> planted, IEnumerable<PlantedDrift> reported)
    {
        var found = reported.ToList();
        var unreported = planted.Except(found).ToList();
        var unplanted = found.Except(planted).ToList();
        Assert.True(
            unreported.Count == 0 && unplanted.Count == 0 && found.Count == planted.Count,
            $"seed {seed}: {judge} reported {found.Count} differences of the {planted.Count} planted; not reported ({unreported.Count}): "
            + $"{string.Join("; ", unreported.Take(10))}; reported but not planted ({unplanted.Count}): {string.Join("; ", unplanted.Take(10))}");
    }

    /// <summary>Table i: a key kind in turn, 3 to 8 random column kinds (two text columns in some), a random mapping and store layout.</summary>
    private static GeneratedTable Generate(Random random, int index)
    {
        var key = KeyKind.All[index % KeyKind.All.Count];
        var kinds = ColumnKind.All.OrderBy(_ => random.Next()).Take(random.Next(3, 9)).ToList();
        var columns = kinds.Select(k => (Name: $"c_{k.Name}", Kind: k)).ToList();
        if (index % 3 == 0)
        {
            var text = ColumnKind.All.Single(k => k.Name == "text");
            columns.RemoveAll(c => c.Kind == text);
            columns.InsertRange(0, [("t1", text), ("t2", text)]);
        }

        var names = columns.Select(c => c.Name).ToList();
        var table = new GeneratedTable($"r{index:D2}_{key.Name}", key, columns)
        {
            SameTypes = index % 5 == 4,
            DeleteMode = index % 4 == 1 ? DeleteMode.Soft : DeleteMode.Hard,
            Excluded = index % 6 == 2 ? names[^1] : null,
            Rename = index % 7 == 3 ? (names[0], names[0] + "_renamed") : null,
        };
        for (var n = 0; n < RowsPerTable; n++)
        {
            table.Rows[n] = [.. columns.Select(c => random.Next(-1, c.Kind.Pool.Count))];
            if (index % 3 == 0 && n % 4 == 0)
            {
                // Rows the separator shift can be planted in: ('x' + U+001F + 'y', 'z').
                table.Rows[n][0] = columns[0].Kind.Pool.ToList().IndexOf(ColumnKind.Literal("x\u001fy"));
                table.Rows[n][1] = columns[1].Kind.Pool.ToList().IndexOf(ColumnKind.Literal("z"));
            }
        }

        table.NextRow = RowsPerTable;
        return table;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql)
    {
        if (sql.Length == 0)
        {
            return;
        }

        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
