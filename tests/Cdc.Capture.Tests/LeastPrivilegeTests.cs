using Cdc.Capture.Tests.Support;
using Cdc.Testing;

namespace Cdc.Capture.Tests;

/// <summary>
/// The connector runs as its role of <c>scripts/roles/capture.sql</c> (through <see cref="DatabaseRoles"/>), with the
/// publication and the signal table prepared beforehand as docs/security.md says: it snapshots, streams and serves an
/// incremental snapshot; the role cannot read a table it does not capture nor write the captured ones.
/// </summary>
public sealed class LeastPrivilegeTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const string Orders = "public.orders";
    private const string Setup = """
        CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL);
        INSERT INTO orders VALUES (1, 'new'), (2, 'new');
        CREATE TABLE payroll (id int PRIMARY KEY, salary int);
        CREATE TABLE debezium_signal (id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048));
        """;

    [Fact]
    public async Task Capture_AsItsRole_SnapshotsStreamsAndReadsOnlyCapturedTables()
    {
        var bed = await CaptureTestBed.CreateAsync(postgres, kafka, Setup, Orders);
        var (role, password) = (DatabaseRoles.UniqueName("capture"), "Capture-" + Guid.NewGuid());
        try
        {
            await DatabaseRoles.CreateCaptureAsync(bed.SourceConnectionString, role, password, [Orders], bed.Options.Publication, bed.Options.SignalTable);
            var asCapture = DatabaseRoles.LoginAs(bed.SourceConnectionString, role, password);
            bed.Options.Source = asCapture;
            using var reader = bed.Reader(Orders);
            await using (var capture = await bed.StartAsync())
            {
                await CaptureTestBed.UntilStreamingAsync(capture);
                await bed.ExecuteAsync("INSERT INTO orders VALUES (3, 'new'); UPDATE orders SET status = 'paid' WHERE id = 1; DELETE FROM orders WHERE id = 2");
                await bed.ExecuteAsync("""
                    INSERT INTO debezium_signal VALUES ('again-3', 'execute-snapshot',
                      '{"data-collections":["public.orders"],"type":"incremental","additional-conditions":[{"data-collection":"public.orders","filter":"id = 3"}]}')
                    """);

                var records = await reader.ReadUntilAsync(r => r.Count(x => x.Op == "r") >= 3 && r.Count(x => x.Op != "r") >= 4, TimeSpan.FromSeconds(60), "snapshot, changes and the re-read");
                var byKey = records.GroupBy(r => r.KeyText).ToDictionary(g => g.Key, g => string.Join(",", g.OrderBy(r => r.Offset).Select(r => r.Op)));
                Assert.Equal("r,u", byKey["1"]);
                Assert.Equal("r,d,tombstone", byKey["2"]);
                Assert.Equal("c,r", byKey["3"]);
            }

            Assert.Equal(2L, await DatabaseRoles.ScalarAsync(asCapture, "SELECT count(*) FROM orders"));
            foreach (var sql in new[] { "SELECT * FROM payroll", "INSERT INTO orders VALUES (9, 'x')", "UPDATE orders SET status = 'x'", "DELETE FROM orders", "TRUNCATE orders" })
            {
                Assert.True(await DatabaseRoles.RefusalAsync(asCapture, sql) == DatabaseRoles.InsufficientPrivilege, sql);
            }
        }
        finally
        {
            await bed.DisposeAsync();
            await DatabaseRoles.DropAsync(role, bed.SourceConnectionString);
        }
    }

    [Fact]
    public async Task Capture_AsItsRole_CannotWidenItsPublication_AnAdministratorCan()
    {
        var bed = await CaptureTestBed.CreateAsync(postgres, kafka, Setup, Orders, "public.payroll");
        var (role, password) = (DatabaseRoles.UniqueName("capture"), "Capture-" + Guid.NewGuid());
        try
        {
            await DatabaseRoles.CreateCaptureAsync(bed.SourceConnectionString, role, password, [Orders], bed.Options.Publication, bed.Options.SignalTable);
            bed.Options.Source = DatabaseRoles.LoginAs(bed.SourceConnectionString, role, password);
            await using (var capture = await bed.StartAsync())
            {
                var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => CaptureTestBed.UntilStreamingAsync(capture));
                // ALTER PUBLICATION … SET TABLE checks ownership of every listed table, unchanged ones included.
                Assert.Equal(DatabaseRoles.InsufficientPrivilege, refused.SqlState);
                Assert.StartsWith("must be owner of table", refused.MessageText, StringComparison.Ordinal);
            }

            bed.Options.Source = bed.SourceConnectionString;
            await using (var capture = await bed.StartAsync())
            {
                await CaptureTestBed.UntilStreamingAsync(capture);
            }

            Assert.Equal(
                "debezium_signal,orders,payroll",
                await bed.ScalarAsync<string>($"SELECT string_agg(tablename::text, ',' ORDER BY tablename) FROM pg_publication_tables WHERE pubname = '{bed.Options.Publication}'"));
        }
        finally
        {
            await bed.DisposeAsync();
            await DatabaseRoles.DropAsync(role, bed.SourceConnectionString);
        }
    }
}
