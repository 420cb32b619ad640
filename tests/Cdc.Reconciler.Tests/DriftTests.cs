using Cdc.Reconciler.Tests.Support;
using Cdc.Testing;

namespace Cdc.Reconciler.Tests;

public sealed class DriftTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const int Rows = 20_000;

    [Fact]
    public async Task Equal_tables_of_many_types_show_no_drift()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, Rows);

        var result = await ReconcileJob.RunAsync(bed.Options("public.items"), TextWriter.Null);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(RunState.Completed, result.State);
        Assert.Equal(Rows, result.RowsCompared);
        Assert.Empty(result.Tables.Single().Findings);
        Assert.Equal(0, result.RowsTransferred);
    }

    [Fact]
    public async Task Each_kind_of_drift_is_found_exactly_with_the_differing_columns()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, Rows);
        await InjectDriftAsync(bed);

        var result = await ReconcileJob.RunAsync(bed.Options("public.items"), TextWriter.Null);

        Assert.Equal(1, result.ExitCode);
        var table = result.Tables.Single();
        Assert.Equal(["17", "12001"], Keys(table, DriftKind.Missing));
        Assert.Equal(["2500", "99999"], Keys(table, DriftKind.Extra));
        var divergent = table.Findings.Where(f => f.Kind == DriftKind.Divergent).OrderBy(f => long.Parse(f.KeyValues[0], System.Globalization.CultureInfo.InvariantCulture))
            .Select(f => $"{f.KeyValues[0]}:{string.Join(",", f.Columns)}").ToList();
        Assert.Equal(["33:amount", "40:note", "55:name", "777:doc", "1234:created", "3000:tags", "4444:ratio", "5005:local_ts,flag", "15000:uid,day"], divergent);
        Assert.True(result.RowsTransferred < Rows / 10, $"{result.RowsTransferred} rows transferred");
    }

    [Fact]
    public async Task Direct_repair_makes_the_store_equal_and_a_second_run_finds_nothing()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, Rows);
        await InjectDriftAsync(bed);
        var options = bed.Options("public.items");
        options.Repair = RepairMode.Direct;

        var repaired = await ReconcileJob.RunAsync(options, TextWriter.Null);
        var again = await ReconcileJob.RunAsync(bed.Options("public.items"), TextWriter.Null);

        Assert.Equal(1, repaired.ExitCode);
        Assert.Equal(13, repaired.Tables.Single().Repaired);
        Assert.Equal(0, repaired.Tables.Single().Unrepaired);
        Assert.Equal(0, again.ExitCode);
        // The repair kept the versions the rows had (absent rows got (0,0)): it claims nothing newer than the stream.
        Assert.Equal(["17|0|0", "33|330|331"], await ReconcileBed.RowsAsync(bed.Store, "SELECT id, _cdc_commit_lsn, _cdc_event_lsn FROM items WHERE id IN (17, 33) ORDER BY id"));
    }

    [Fact]
    public async Task Findings_and_the_run_are_kept_in_the_audit_tables()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 1_000);
        await bed.OnStoreAsync("DELETE FROM items WHERE id = 17");

        var result = await ReconcileJob.RunAsync(bed.Options("public.items"), TextWriter.Null);

        Assert.Equal(
            [$"{result.RunId}|completed|1|0|0|1000"],
            await ReconcileBed.RowsAsync(bed.Store, "SELECT id, state, missing, extra, divergent, rows_compared FROM cdc.reconcile_runs"));
        Assert.Equal(
            ["public.items|missing|{17}"],
            await ReconcileBed.RowsAsync(bed.Store, "SELECT table_name, kind, row_key::text FROM cdc.reconcile_findings"));
        var status = new StringWriter();
        Assert.Equal(0, await ReconcileCommand.StatusAsync(["--store", bed.StoreConnection], status, CancellationToken.None));
        Assert.Contains($"#{result.RunId} ", status.ToString(), StringComparison.Ordinal);
        Assert.Contains("missing 1, extra 0, divergent 0", status.ToString(), StringComparison.Ordinal);
    }

    internal static async Task InjectDriftAsync(ReconcileBed bed)
    {
        await bed.OnStoreAsync("DELETE FROM items WHERE id IN (17, 12001)");
        await bed.OnPrimaryAsync("DELETE FROM items WHERE id = 2500");
        await bed.OnStoreAsync("INSERT INTO items (id, name, _cdc_commit_lsn, _cdc_event_lsn) VALUES (99999, 'ghost', 1, 2)");
        await bed.OnStoreAsync("""
            UPDATE items SET amount = amount + 0.01 WHERE id = 33;
            UPDATE items SET note = '' WHERE id = 40;
            UPDATE items SET name = NULL WHERE id = 55;
            UPDATE items SET doc = jsonb_set(doc, '{k}', '0') WHERE id = 777;
            UPDATE items SET created = created + interval '1 microsecond' WHERE id = 1234;
            UPDATE items SET tags = ARRAY['a3000', 'ü'] WHERE id = 3000;
            UPDATE items SET ratio = ratio * (1 + 1e-15) WHERE id = 4444;
            UPDATE items SET local_ts = local_ts + interval '1 day', flag = NOT flag WHERE id = 5005;
            UPDATE items SET uid = gen_random_uuid(), day = day + 1 WHERE id = 15000;
            """);
    }

    private static List<string> Keys(TableResult table, DriftKind kind) =>
        [.. table.Findings.Where(f => f.Kind == kind).Select(f => f.KeyValues[0]).OrderBy(k => long.Parse(k, System.Globalization.CultureInfo.InvariantCulture))];
}
