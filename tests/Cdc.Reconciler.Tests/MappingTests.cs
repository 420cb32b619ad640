using Cdc.Reconciler.Tests.Support;
using Cdc.Store.Mapping;
using Cdc.Testing;

namespace Cdc.Reconciler.Tests;

public sealed class MappingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task The_sink_mapping_renames_excludes_and_soft_deleted_rows_count_as_absent()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await bed.OnPrimaryAsync("CREATE TABLE public.accounts (id int PRIMARY KEY, owner text, secret text, balance numeric)");
        await bed.OnPrimaryAsync("INSERT INTO accounts SELECT g, 'owner ' || g, 'pw' || g, g * 10.5 FROM generate_series(1, 3000) g");
        await bed.OnStoreAsync("CREATE SCHEMA crm");
        await bed.OnStoreAsync("CREATE TABLE crm.customer_accounts (id integer PRIMARY KEY, holder text, balance numeric, _cdc_commit_lsn bigint, _cdc_event_lsn bigint, _cdc_deleted boolean)");
        await bed.OnStoreAsync("INSERT INTO crm.customer_accounts SELECT g, 'owner ' || g, g * 10.5, g, g, false FROM generate_series(1, 3000) g");
        await bed.OnStoreAsync("UPDATE crm.customer_accounts SET _cdc_deleted = true WHERE id = 7");
        await bed.OnPrimaryAsync("DELETE FROM accounts WHERE id = 8");
        await bed.OnStoreAsync("UPDATE crm.customer_accounts SET _cdc_deleted = true WHERE id = 8");
        await bed.OnStoreAsync("UPDATE crm.customer_accounts SET holder = 'someone else' WHERE id = 9");
        var config = Path.GetTempFileName();
        await File.WriteAllTextAsync(config, """
            { "Tables": [ { "Topic": "shop.public.accounts", "Schema": "crm", "Table": "customer_accounts",
                            "Rename": { "owner": "holder" }, "Exclude": [ "secret" ], "DeleteMode": "Soft" } ] }
            """);
        try
        {
            var options = bed.Options("public.accounts");
            options.SinkConfig = config;
            options.TopicPrefix = "shop";
            options.Repair = RepairMode.Direct;

            var result = await ReconcileJob.RunAsync(options, TextWriter.Null);

            var table = result.Tables.Single();
            Assert.Equal("crm.customer_accounts", table.StoreTable);
            Assert.Equal(["missing 7", "divergent 9 owner"], table.Findings.Select(f => $"{Names.Of(f.Kind)} {f.KeyDisplay}{(f.Columns.Count > 0 ? " " + string.Join(",", f.Columns) : "")}").Order().Reverse());
            Assert.Equal(2, table.Repaired);
            Assert.Equal(["7|owner 7|False|7", "8|owner 8|True|8", "9|owner 9|False|9"],
                await ReconcileBed.RowsAsync(bed.Store, "SELECT id, holder, _cdc_deleted, _cdc_commit_lsn FROM crm.customer_accounts WHERE id IN (7, 8, 9) ORDER BY id"));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Composite_and_text_keys_are_bisected_to_the_exact_rows()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        const string create = "CREATE TABLE public.lines (region text, n int, qty int, PRIMARY KEY (region, n))";
        await bed.OnPrimaryAsync(create);
        await bed.OnStoreAsync(create.Replace("qty int", "qty int, _cdc_commit_lsn bigint, _cdc_event_lsn bigint", StringComparison.Ordinal));
        const string fill = "INSERT INTO lines SELECT 'région ' || (g % 7), g, g % 100 FROM generate_series(1, 30000) g";
        await bed.OnPrimaryAsync(fill);
        await bed.OnStoreAsync(fill);
        await bed.OnStoreAsync("UPDATE lines SET qty = -1 WHERE n = 12345; DELETE FROM lines WHERE n = 29999; INSERT INTO lines VALUES ('zz''top', 1, 1)");
        var options = bed.Options("public.lines");
        options.Repair = RepairMode.Direct;

        var result = await ReconcileJob.RunAsync(options, TextWriter.Null);

        var table = result.Tables.Single();
        // Both sides' rows, each key once: 30,000 on the primary and the store's extra one.
        Assert.Equal(30001, table.RowsCompared);
        Assert.Equal(["divergent région 4,12345", "extra zz'top,1", "missing région 4,29999"], table.Findings.Select(f => $"{Names.Of(f.Kind)} {f.KeyDisplay}").Order());
        Assert.True(result.RowsTransferred < 3000, $"{result.RowsTransferred} rows transferred");
        Assert.Equal(0, table.Unrepaired);
        Assert.Equal(0, (await ReconcileJob.RunAsync(bed.Options("public.lines"), TextWriter.Null)).ExitCode);
    }
}
