using System.Text.RegularExpressions;
using Cdc.Testing;

namespace Cdc.EndToEnd.Tests;

/// <summary><c>cdc demo</c> as a newcomer runs it, smaller than the default: every store must equal the primary after
/// the drift it injects is repaired (exit code 0 and the RESULT line), by the reconciler and by the independent verdict
/// (the demo's own, agreeing on the drift and on the end, and this test's, on the databases the demo keeps), and it
/// leaves no replication slot or publication behind (only its databases, for inspection).</summary>
public sealed partial class DemoTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Demo_small_ends_with_every_store_equal_to_the_primary()
    {
        var prefix = LocalDatabases.NewPrefix("demo");
        try
        {
            using var demo = CliProcess.Start(
                ["demo", "--orders", "500", "--rate", "200", "--duration", "2", "--flips", "2", "--flip-orders", "300", "--database-prefix", prefix],
                LocalDatabases.Environment(postgres));
            Assert.True(await demo.WaitForExitAsync(TimeSpan.FromMinutes(5)), demo.Output);
            Assert.True(demo.ExitCode == 0, demo.Output);
            Assert.Matches(ResultLine(), demo.Output);
            Assert.Matches(RepairLine(), demo.Output);
            Assert.Matches(VerdictLine(), demo.Output);
            Assert.DoesNotContain("disagree", demo.Output, StringComparison.Ordinal);
            var (risk, analytics) = await LocalDatabases.VerdictsAsync(postgres.AdminConnectionString, prefix);
            Assert.True(risk.Equal && analytics.Equal, $"risk: {risk}; analytics: {analytics}");
            Assert.Empty(await LocalDatabases.ReplicationLeftoversAsync(postgres.AdminConnectionString, prefix));
        }
        finally
        {
            await LocalDatabases.DropAsync(postgres.AdminConnectionString, prefix);
        }
    }

    [Fact]
    public async Task Demo_over_Avro_through_the_embedded_Schema_Registry_ends_with_every_store_equal_to_the_primary()
    {
        var prefix = LocalDatabases.NewPrefix("demo");
        try
        {
            using var demo = CliProcess.Start(
                ["demo", "--format", "avro", "--orders", "300", "--rate", "100", "--duration", "1", "--flips", "1", "--flip-orders", "200", "--database-prefix", prefix],
                LocalDatabases.Environment(postgres));
            Assert.True(await demo.WaitForExitAsync(TimeSpan.FromMinutes(5)), demo.Output);
            Assert.True(demo.ExitCode == 0, demo.Output);
            Assert.Contains("embedded Schema Registry (./cdc registry's) at http://127.0.0.1:", demo.Output, StringComparison.Ordinal);
            Assert.Contains("Avro (AvroConverter's wire format)", demo.Output, StringComparison.Ordinal);
            Assert.Matches(ResultLine(), demo.Output);
            Assert.Matches(RepairLine(), demo.Output);
        }
        finally
        {
            await LocalDatabases.DropAsync(postgres.AdminConnectionString, prefix);
        }
    }

    [GeneratedRegex(@"^RESULT demo stores_in_sync=2/2 p99_ms=\d+$", RegexOptions.Multiline)]
    private static partial Regex ResultLine();

    [GeneratedRegex(@"public\.orders: 3 missing, 2 extra, 3 different; 8 repaired, 0 not repaired", RegexOptions.Multiline)]
    private static partial Regex RepairLine();

    [GeneratedRegex(@"independent verdict before the repair: 3 missing, 2 extra, 5 different: the same rows as the reconciler", RegexOptions.Multiline)]
    private static partial Regex VerdictLine();
}
