using System.Text.RegularExpressions;
using Cdc.Testing;

namespace Cdc.EndToEnd.Tests;

/// <summary>The shortened <c>cdc chaos</c>: every fault kind once under load (including a PostgreSQL restart), then
/// the reconciler finds no row lost or wrong and only the poison dead-lettered.</summary>
public sealed partial class ChaosTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Short_chaos_loses_nothing_and_gets_nothing_wrong()
    {
        var prefix = LocalDatabases.NewPrefix("chaos");
        try
        {
            var run = await CliRun.RunAsync(postgres.AdminConnectionString, TimeSpan.FromMinutes(10), "chaos", "--short", "--database-prefix", prefix);
            Assert.True(run.ExitCode == 0, run.ToString());
            var result = ResultLine().Match(run.LastLine);
            Assert.True(result.Success, run.ToString());
            Assert.True(int.Parse(result.Groups["faults"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 7, run.LastLine);
        }
        finally
        {
            await LocalDatabases.DropAsync(postgres.AdminConnectionString, prefix);
        }
    }

    [GeneratedRegex(@"^RESULT chaos faults=(?<faults>\d+) lost=0 wrong=0 recover_p99_s=\d+(\.\d+)?$")]
    private static partial Regex ResultLine();
}
