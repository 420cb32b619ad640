using Cdc.Reconciler.Tests.Support;
using Cdc.Testing;

namespace Cdc.Reconciler.Tests;

public sealed class RefusalTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Tables_that_cannot_be_compared_are_refused_with_a_reason_and_the_others_are_still_checked()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 1_000);
        await bed.OnStoreAsync("DELETE FROM items WHERE id = 5");
        await bed.OnPrimaryAsync("CREATE TABLE public.keyless (a int, b text)");
        await bed.OnStoreAsync("CREATE TABLE public.keyless (a int, b text)");
        await bed.OnPrimaryAsync("CREATE TABLE public.retyped (id int PRIMARY KEY, at int)");
        await bed.OnStoreAsync("CREATE TABLE public.retyped (id int PRIMARY KEY, at timestamptz)");
        await bed.OnPrimaryAsync("CREATE TABLE public.unsynced (id int PRIMARY KEY)");

        var result = await ReconcileJob.RunAsync(bed.Options("public.keyless", "public.nowhere", "public.retyped", "public.unsynced", "public.items"), TextWriter.Null);

        var refusals = result.Tables.Where(t => t.Refusal is not null).ToDictionary(t => t.Table, t => t.Refusal!);
        Assert.Contains("no primary key", refusals["public.keyless"], StringComparison.Ordinal);
        Assert.Contains("does not exist on the primary", refusals["public.nowhere"], StringComparison.Ordinal);
        Assert.Contains("primary type integer and store type timestamp with time zone", refusals["public.retyped"], StringComparison.Ordinal);
        Assert.Contains("store table public.unsynced", refusals["public.unsynced"], StringComparison.Ordinal);
        Assert.Equal(4, refusals.Count);
        Assert.Equal(RunState.PartialFailure, result.State);
        Assert.Equal(1, result.Tables.Single(t => t.Table == "public.items").Missing);
        Assert.Equal(1, result.ExitCode);
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
