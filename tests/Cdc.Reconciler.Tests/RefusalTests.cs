using Cdc.Reconciler.Tests.Support;
using Cdc.Testing;

namespace Cdc.Reconciler.Tests;

public sealed class RefusalTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Tables_whose_rows_cannot_be_matched_are_refused_with_a_reason_and_the_others_are_still_checked()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 1_000);
        await bed.OnStoreAsync("DELETE FROM items WHERE id = 5");
        await bed.OnPrimaryAsync("CREATE TABLE public.keyless (a int, b text)");
        await bed.OnStoreAsync("CREATE TABLE public.keyless (a int, b text)");
        await bed.OnPrimaryAsync("CREATE TABLE public.retyped (id int PRIMARY KEY, at int, n int); INSERT INTO retyped VALUES (1, 1, 1), (2, 2, 2)");
        await bed.OnStoreAsync("CREATE TABLE public.retyped (id int PRIMARY KEY, at timestamptz, n int); INSERT INTO retyped VALUES (1, now(), 1), (2, now(), 3)");
        await bed.OnPrimaryAsync("CREATE TABLE public.unsynced (id int PRIMARY KEY)");

        var result = await ReconcileJob.RunAsync(bed.Options("public.keyless", "public.nowhere", "public.retyped", "public.unsynced", "public.items"), TextWriter.Null);

        var refusals = result.Tables.Where(t => t.Refusal is not null).ToDictionary(t => t.Table, t => t.Refusal!);
        Assert.Contains("neither a primary key nor a unique index", refusals["public.keyless"], StringComparison.Ordinal);
        Assert.Contains("does not exist on the primary", refusals["public.nowhere"], StringComparison.Ordinal);
        Assert.Contains("store table public.unsynced", refusals["public.unsynced"], StringComparison.Ordinal);
        Assert.Equal(3, refusals.Count);
        Assert.Equal(RunState.PartialFailure, result.State);
        // One column that cannot be compared is named; the rest of its table is compared.
        var retyped = result.Tables.Single(t => t.Table == "public.retyped");
        Assert.Contains("primary type integer and store type timestamp with time zone", Assert.Single(retyped.Skipped), StringComparison.Ordinal);
        Assert.Equal(["2:n"], retyped.Findings.Select(f => $"{f.KeyDisplay}:{string.Join(",", f.Columns)}"));
        Assert.Equal(1, result.Tables.Single(t => t.Table == "public.items").Missing);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task A_skipped_column_without_drift_exits_2_and_names_the_column()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await bed.OnPrimaryAsync("CREATE TABLE public.t (id int PRIMARY KEY, at int); INSERT INTO t VALUES (1, 1)");
        await bed.OnStoreAsync("CREATE TABLE public.t (id int PRIMARY KEY, at timestamptz, _cdc_commit_lsn bigint, _cdc_event_lsn bigint); INSERT INTO t VALUES (1, now(), 1, 1)");
        var log = new StringWriter();

        var result = await ReconcileJob.RunAsync(bed.Options("public.t"), log);

        Assert.Equal(RunState.PartialFailure, result.State);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("public.t: not compared: column at", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(["public.t|partial_failure|public.t: not compared: column at: primary type integer and store type timestamp with time zone (at) are not comparable"],
            await ReconcileBed.RowsAsync(bed.Store, "SELECT tables[1], state, message FROM cdc.reconcile_runs"));
    }

    [Fact]
    public async Task Only_refusals_exit_2()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 100);

        var result = await ReconcileJob.RunAsync(bed.Options("public.items", "public.nowhere"), TextWriter.Null);

        Assert.Equal(RunState.PartialFailure, result.State);
        Assert.Equal(2, result.ExitCode);
    }
}
