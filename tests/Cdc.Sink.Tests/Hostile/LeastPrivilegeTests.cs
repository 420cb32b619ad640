using System.Diagnostics;
using Cdc.DevKit;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Sink.Tests.Hostile;

/// <summary>
/// The roles of <c>scripts/roles.sh</c> (the same SQL, through <see cref="DatabaseRoles"/>): the sink runs as its
/// own role and works, and that role cannot read or create outside its store's schemas or connect to another
/// store; the source connector's role replicates and reads only the captured tables; the reconciler's role reads
/// both sides and writes only target rows of the store.
/// </summary>
public sealed class LeastPrivilegeTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_SinkAsItsOwnRole_AppliesAndCannotReachBeyondItsStore()
    {
        var (role, otherRole, password) = (DatabaseRoles.UniqueName("sink"), DatabaseRoles.UniqueName("sink"), "Sink-" + Guid.NewGuid());
        var otherStore = await postgres.CreateDatabaseAsync();
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka);
        try
        {
            await bed.Store.ExecuteAsync("CREATE SCHEMA other; CREATE TABLE other.secrets (id int); INSERT INTO other.secrets VALUES (1)");
            await DatabaseRoles.CreateSinkAsync(bed.Store.ConnectionString, role, password, "public", "cdc");
            await DatabaseRoles.CreateSinkAsync(otherStore, otherRole, password, "public", "cdc");
            var asSink = DatabaseRoles.LoginAs(bed.Store.ConnectionString, role, password);
            bed.Options.Store = asSink;
            for (var id = 1; id <= 50; id++)
            {
                bed.Model.Upsert(id, "new", id);
            }

            bed.Model.Delete(7);
            bed.Model.Flush();
            await using (var sink = await SinkRunner.StartAsync(bed.Options))
            {
                await bed.UntilInSyncAsync(Timeout);
            }

            await AssertDeniedAsync(asSink, "SELECT * FROM other.secrets");
            await AssertDeniedAsync(asSink, "CREATE TABLE other.mine (id int)");
            await AssertDeniedAsync(asSink, "CREATE ROLE escalate");
            await AssertDeniedAsync(asSink, "ALTER SYSTEM SET work_mem = '1GB'");
            var error = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(DatabaseRoles.LoginAs(otherStore, role, password), "SELECT 1"));
            Assert.Equal(DatabaseRoles.InsufficientPrivilege, error.SqlState);
            Assert.Equal(role, await ScalarAsync(asSink, "SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = 'cdc.offsets'::regclass"));
        }
        finally
        {
            await DatabaseRoles.DropAsync(role, bed.Store.ConnectionString);
            await DatabaseRoles.DropAsync(otherRole, otherStore);
        }
    }

    [Fact]
    public async Task Capture_Role_ReplicatesAndReadsOnlyCapturedTables()
    {
        var (role, password) = (DatabaseRoles.UniqueName("capture"), "Capture-" + Guid.NewGuid());
        var primary = await postgres.CreateDatabaseAsync();
        var publication = DatabaseRoles.UniqueName("pub");
        var slot = DatabaseRoles.UniqueName("slot");
        await ExecuteAsync(primary, """
            CREATE TABLE public.orders (id int PRIMARY KEY); CREATE TABLE public.payroll (id int PRIMARY KEY);
            CREATE TABLE public.debezium_signal (id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048));
            """);
        try
        {
            await DatabaseRoles.CreateCaptureAsync(primary, role, password, ["public.orders"], publication, "public.debezium_signal");
            var asCapture = DatabaseRoles.LoginAs(primary, role, password);

            Assert.Equal(0L, await ScalarAsync(asCapture, "SELECT count(*) FROM public.orders"));
            await AssertDeniedAsync(asCapture, "SELECT count(*) FROM public.payroll");
            await AssertDeniedAsync(asCapture, "INSERT INTO public.orders VALUES (1)");
            await AssertDeniedAsync(asCapture, $"CREATE PUBLICATION {slot} FOR TABLE public.orders");
            await ExecuteAsync(asCapture, "INSERT INTO public.debezium_signal VALUES ('w1', 'snapshot-window-open', '{}'); DELETE FROM public.debezium_signal");
            Assert.Equal(slot, await ScalarAsync(asCapture, $"SELECT slot_name::text FROM pg_create_logical_replication_slot('{slot}', 'pgoutput')"));
            await ExecuteAsync(asCapture, $"SELECT pg_drop_replication_slot('{slot}')");
            Assert.Equal("debezium_signal,orders", await ScalarAsync(primary, $"SELECT string_agg(tablename::text, ',' ORDER BY tablename) FROM pg_publication_tables WHERE pubname = '{publication}'"));

            await DatabaseRoles.CreateCaptureAsync(primary, role, password, ["public.payroll"], publication, "public.debezium_signal");

            await AssertDeniedAsync(asCapture, "SELECT count(*) FROM public.orders");
            Assert.Equal(0L, await ScalarAsync(asCapture, "SELECT count(*) FROM public.payroll"));
        }
        finally
        {
            await DatabaseRoles.DropAsync(role, primary);
        }
    }

    [Fact]
    public async Task Reconciler_Role_ReadsBothSidesWritesOnlyTargetRows()
    {
        var (sinkRole, role, password) = (DatabaseRoles.UniqueName("sink"), DatabaseRoles.UniqueName("reconciler"), "Rec-" + Guid.NewGuid());
        var primary = await postgres.CreateDatabaseAsync();
        var store = await postgres.CreateDatabaseAsync();
        await ExecuteAsync(primary, "CREATE TABLE public.orders (id int PRIMARY KEY); CREATE TABLE public.debezium_signal (id text PRIMARY KEY, type text, data text)");
        try
        {
            await DatabaseRoles.CreateSinkAsync(store, sinkRole, password, "public", "cdc");
            await ExecuteAsync(DatabaseRoles.LoginAs(store, sinkRole, password), "CREATE TABLE cdc.offsets (consumer_group text)");
            await DatabaseRoles.CreateReconcilerAsync(primary, store, role, password, ["public.orders"], ["public", "cdc"], signalTable: "public.debezium_signal");
            await ExecuteAsync(DatabaseRoles.LoginAs(store, sinkRole, password), "CREATE TABLE public.orders (id int PRIMARY KEY)");
            var (onPrimary, onStore) = (DatabaseRoles.LoginAs(primary, role, password), DatabaseRoles.LoginAs(store, role, password));

            Assert.Equal(0L, await ScalarAsync(onPrimary, "SELECT count(*) FROM public.orders"));
            await ExecuteAsync(onPrimary, "INSERT INTO public.debezium_signal VALUES ('r1', 'execute-snapshot', '{}')");
            await AssertDeniedAsync(onPrimary, "INSERT INTO public.orders VALUES (1)");
            await ExecuteAsync(onStore, "INSERT INTO public.orders VALUES (1); UPDATE public.orders SET id = 2; DELETE FROM public.orders");
            Assert.Equal(0L, await ScalarAsync(onStore, "SELECT count(*) FROM cdc.offsets"));
            await AssertDeniedAsync(onStore, "INSERT INTO cdc.offsets VALUES ('g')");
            await AssertDeniedAsync(onStore, "CREATE TABLE public.mine (id int)");
            await AssertDeniedAsync(onStore, "ALTER TABLE public.orders ADD COLUMN x int");
        }
        finally
        {
            await DatabaseRoles.DropAsync(role, primary, store);
            await DatabaseRoles.DropAsync(sinkRole, store);
        }
    }

    [Fact]
    public async Task RolesScript_Sink_IdempotentPasswordFromStdin()
    {
        var (role, password) = (DatabaseRoles.UniqueName("sink"), "Script-" + Guid.NewGuid());
        var store = await postgres.CreateDatabaseAsync();
        var database = new NpgsqlConnectionStringBuilder(store).Database!;
        try
        {
            var first = await RunScriptAsync(store, password, "sink", database, role, "-");
            var second = await RunScriptAsync(store, password + "2", "sink", database, role, "-");

            Assert.Contains($"role {role}: owns schemas public,cdc", second, StringComparison.Ordinal);
            Assert.DoesNotContain(password, first + second, StringComparison.Ordinal);
            Assert.Equal(role, await ScalarAsync(DatabaseRoles.LoginAs(store, role, password + "2"), "SELECT pg_get_userbyid(nspowner)::text FROM pg_namespace WHERE nspname = 'cdc'"));
        }
        finally
        {
            await DatabaseRoles.DropAsync(role, store);
        }
    }

    private static async Task<string> RunScriptAsync(string adminConnectionString, string stdin, params string[] args)
    {
        var admin = new NpgsqlConnectionStringBuilder(adminConnectionString);
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(BuiltCommands.RepositoryRoot, "scripts", "roles.sh"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PGHOST"] = admin.Host;
        start.Environment["PGPORT"] = admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = admin.Username;
        start.Environment["PGPASSWORD"] = admin.Password;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output);
        return output;
    }

    private static async Task AssertDeniedAsync(string connectionString, string sql) =>
        Assert.True(await DatabaseRoles.RefusalAsync(connectionString, sql) == DatabaseRoles.InsufficientPrivilege, sql);

    private static Task ExecuteAsync(string connectionString, string sql) => DatabaseRoles.ExecuteAsync(connectionString, sql);

    private static Task<object?> ScalarAsync(string connectionString, string sql) => DatabaseRoles.ScalarAsync(connectionString, sql);
}
