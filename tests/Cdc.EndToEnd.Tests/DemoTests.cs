using Cdc.Testing;

namespace Cdc.EndToEnd.Tests;

/// <summary><c>cdc demo</c> as a newcomer runs it, smaller than the default: every store must equal the primary after
/// the drift it injects is repaired (exit code 0 and the RESULT line).</summary>
public sealed class DemoTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Demo_small_ends_with_every_store_equal_to_the_primary()
    {
        var prefix = LocalDatabases.NewPrefix("demo");
        try
        {
            var run = await CliRun.RunAsync(
                postgres.AdminConnectionString, TimeSpan.FromMinutes(5), "demo", "--orders", "500", "--rate", "200", "--duration", "2", "--flips", "2", "--flip-orders", "300", "--database-prefix", prefix);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.StartsWith("RESULT demo stores_in_sync=2/2 p99_ms=", run.LastLine, StringComparison.Ordinal);
            Assert.Contains("repaired", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            await LocalDatabases.DropAsync(postgres.AdminConnectionString, prefix);
        }
    }
}
