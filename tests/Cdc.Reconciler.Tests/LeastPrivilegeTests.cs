using Cdc.Reconciler.Tests.Support;
using Cdc.Testing;

namespace Cdc.Reconciler.Tests;

/// <summary>
/// The reconciler runs as its role of <c>scripts/roles/reconciler-*.sql</c> (through <see cref="DatabaseRoles"/>), with
/// the store owned by the sink's role as <c>sink.sql</c> leaves it: it finds and repairs drift in both repair modes,
/// and cannot write the primary's tables beyond inserting signal rows.
/// </summary>
public sealed class LeastPrivilegeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Signal = "public.debezium_signal";

    [Theory]
    [InlineData(RepairMode.Direct)]
    [InlineData(RepairMode.Resnapshot)]
    public async Task Reconcile_AsItsRole_FindsAndRepairsDrift(RepairMode mode)
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        var (sinkRole, role, password) = (DatabaseRoles.UniqueName("sink"), DatabaseRoles.UniqueName("reconciler"), "Rec-" + Guid.NewGuid());
        try
        {
            await ItemsTable.CreateAsync(bed, 1_000);
            await bed.OnPrimaryAsync("CREATE TABLE public.debezium_signal (id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))");
            await bed.OnPrimaryAsync("CREATE TABLE public.payroll (id int PRIMARY KEY)");
            await DriftTests.InjectDriftAsync(bed);
            await DatabaseRoles.CreateSinkAsync(bed.StoreConnection, sinkRole, password, "public", "cdc");
            await DatabaseRoles.CreateReconcilerAsync(bed.PrimaryConnection, bed.StoreConnection, role, password, ["public.items"], ["public", "cdc"], signalTable: Signal);
            var onPrimary = DatabaseRoles.LoginAs(bed.PrimaryConnection, role, password);
            var options = bed.Options("public.items");
            (options.Primary, options.Store, options.Repair) = (onPrimary, DatabaseRoles.LoginAs(bed.StoreConnection, role, password), mode);

            var result = await ReconcileJob.RunAsync(options, TextWriter.Null);

            var table = result.Tables.Single();
            Assert.Equal(RunState.Completed, result.State);
            // Of DriftTests' drift, what 1,000 rows hold: missing 17, extra 99999, divergent 33, 40, 55, 777.
            Assert.Equal((1, 1, 4), (table.Missing, table.Extra, table.Divergent));
            Assert.Empty(await ReconcileBed.RowsAsync(bed.Store, "SELECT id FROM items WHERE id = 99999"));
            Assert.Equal([$"{result.RunId}|completed|6"], await ReconcileBed.RowsAsync(bed.Store, "SELECT id, state, (SELECT count(*) FROM cdc.reconcile_findings) FROM cdc.reconcile_runs"));
            var signals = await ReconcileBed.RowsAsync(bed.Primary, "SELECT type FROM debezium_signal");
            if (mode == RepairMode.Direct)
            {
                Assert.Equal((6, 0), (table.Repaired, table.Unrepaired));
                Assert.Empty(signals);
                options.Repair = RepairMode.None;
                Assert.Equal(0, (await ReconcileJob.RunAsync(options, TextWriter.Null)).ExitCode);
            }
            else
            {
                // The 5 missing and divergent rows are re-streamed by the connector (not running here); the extra is deleted.
                Assert.Equal((1, 5), (table.Repaired, table.Unrepaired));
                Assert.Equal(["execute-snapshot"], signals);
            }

            foreach (var sql in new[] { "INSERT INTO items (id) VALUES (-1)", "UPDATE items SET note = 'x'", "DELETE FROM items", "TRUNCATE items", "SELECT * FROM payroll", "DELETE FROM debezium_signal", "UPDATE debezium_signal SET data = ''" })
            {
                Assert.True(await DatabaseRoles.RefusalAsync(onPrimary, sql) == DatabaseRoles.InsufficientPrivilege, sql);
            }
        }
        finally
        {
            await DatabaseRoles.DropAsync(role, bed.PrimaryConnection, bed.StoreConnection);
            await DatabaseRoles.DropAsync(sinkRole, bed.StoreConnection);
        }
    }
}
