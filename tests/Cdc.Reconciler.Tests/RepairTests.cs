using System.Text.Json;
using Cdc.Reconciler.Repair;
using Cdc.Reconciler.Tests.Support;
using Cdc.Store.Bookkeeping;
using Cdc.Testing;

namespace Cdc.Reconciler.Tests;

public sealed class RepairTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Resnapshot_writes_signals_for_exactly_the_missing_and_divergent_rows_and_deletes_extras()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 5_000);
        await bed.OnPrimaryAsync("CREATE TABLE public.debezium_signal (id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))");
        await bed.OnStoreAsync("DELETE FROM items WHERE id IN (17, 4001)");
        await bed.OnStoreAsync("UPDATE items SET note = 'changed' WHERE id = 33");
        await bed.OnStoreAsync("INSERT INTO items (id, _cdc_commit_lsn, _cdc_event_lsn) VALUES (7000, 1, 2)");
        var options = bed.Options("public.items");
        options.Repair = RepairMode.Resnapshot;

        var result = await ReconcileJob.RunAsync(options, TextWriter.Null);

        var signals = await ReconcileBed.RowsAsync(bed.Primary, "SELECT type, data FROM debezium_signal");
        var signal = Assert.Single(signals);
        Assert.StartsWith("execute-snapshot|", signal, StringComparison.Ordinal);
        using var data = JsonDocument.Parse(signal["execute-snapshot|".Length..]);
        Assert.Equal("""["public.items"]""", data.RootElement.GetProperty("data-collections").GetRawText());
        Assert.Equal("incremental", data.RootElement.GetProperty("type").GetString());
        var condition = data.RootElement.GetProperty("additional-conditions").EnumerateArray().Single();
        Assert.Equal("public.items", condition.GetProperty("data-collection").GetString());
        Assert.Equal("\"id\" IN ('17', '33', '4001')", condition.GetProperty("filter").GetString());
        Assert.Equal(["public.items|extra|directly: repaired"], [.. result.Tables.Single().Findings.Where(f => f.Kind == DriftKind.Extra).Select(f => $"{f.Table}|extra|directly: {f.Repair}")]);
        Assert.Empty(await ReconcileBed.RowsAsync(bed.Store, "SELECT id FROM items WHERE id = 7000"));
        Assert.Equal(3, result.Tables.Single().Unrepaired);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Signal_filters_quote_identifiers_and_values_and_split_large_key_sets()
    {
        var composite = SignalFilter.Payloads(new TableName("sales", "Order \"Lines\""), ["region", "line no"], [["o'hara", "1"], ["x", "2"]]);
        using (var document = JsonDocument.Parse(Assert.Single(composite)))
        {
            Assert.Equal("(\"region\", \"line no\") IN (('o''hara', '1'), ('x', '2'))", document.RootElement.GetProperty("additional-conditions")[0].GetProperty("filter").GetString());
        }

        var keys = Enumerable.Range(1, 1_000).Select(i => (IReadOnlyList<string>)[i.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ToList();
        var payloads = SignalFilter.Payloads(new TableName("public", "t"), ["id"], keys);
        Assert.True(payloads.Count > 1);
        Assert.All(payloads, p => Assert.True(p.Length <= SignalFilter.MaxDataLength));
        var covered = payloads.SelectMany(p => JsonDocument.Parse(p).RootElement.GetProperty("additional-conditions")[0].GetProperty("filter").GetString()!
            .Replace("\"id\" IN (", "", StringComparison.Ordinal).TrimEnd(')').Split(", ")).ToList();
        Assert.Equal(keys.Select(k => $"'{k[0]}'"), covered);
    }

    [Fact]
    public async Task Direct_repair_steps_aside_when_the_stream_changed_the_row_after_the_check()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await using var sink = await SinkStream.CreateAsync(bed);
        var (pair, findings) = await sink.StaleRowAsync("(1, 'current')");
        var finding = Assert.Single(findings);
        Assert.Equal(DriftKind.Divergent, finding.Kind);

        // The stream brings a newer change between the check and the repair.
        await bed.OnPrimaryAsync("UPDATE orders SET note = 'newer' WHERE id = 1");
        await sink.ApplyAsync(1, "newer", version: 20);
        await new DirectRepair(sink.PrimarySource, sink.StoreSource, new MetadataTables("cdc")).ApplyAsync(pair, findings, CancellationToken.None);

        Assert.Equal(DirectRepair.SkippedChanged, finding.Repair);
        Assert.Equal(["1|newer|200|201"], await sink.StoreRowsAsync());
    }

    [Fact]
    public async Task A_change_streamed_after_a_direct_repair_wins_and_an_old_duplicate_does_not()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await using var sink = await SinkStream.CreateAsync(bed);
        var (pair, findings) = await sink.StaleRowAsync("(1, 'current'), (2, 'two')");
        Assert.Equal(2, findings.Count);

        await new DirectRepair(sink.PrimarySource, sink.StoreSource, new MetadataTables("cdc")).ApplyAsync(pair, findings, CancellationToken.None);
        Assert.All(findings, f => Assert.Equal(DirectRepair.Repaired, f.Repair));
        Assert.Equal(["1|current|100|101", "2|two|0|0"], await sink.StoreRowsAsync());

        // The primary changes row 1 again and row 2 for the first time: the stream delivers them after the repair,
        // through the sink's own guarded apply. An old duplicate of an earlier change arrives too.
        await sink.ApplyAsync(1, "live update", version: 30);
        await sink.ApplyAsync(2, "live two", version: 31);
        await sink.ApplyAsync(1, "stale duplicate", version: 9);

        Assert.Equal(["1|live update|300|301", "2|live two|310|311"], await sink.StoreRowsAsync());
    }
}
