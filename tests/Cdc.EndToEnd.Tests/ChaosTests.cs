using System.Globalization;
using System.Text.RegularExpressions;
using Cdc.Testing;

namespace Cdc.EndToEnd.Tests;

/// <summary>The shortened <c>cdc chaos</c>: every fault kind once under load (including a PostgreSQL restart and the
/// faults that lose data on their way, each healed by the pipeline itself), then
/// the reconciler finds no row lost or wrong and only the poison dead-lettered, and the independent verdict agrees (chaos
/// judges twice, and this test judges the stores it keeps once more); its killed connector's slot and its publication
/// are dropped when it ends.</summary>
public sealed partial class ChaosTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Short_chaos_loses_nothing_and_gets_nothing_wrong()
    {
        var prefix = LocalDatabases.NewPrefix("chaos");
        try
        {
            using var chaos = CliProcess.Start(["chaos", "--short", "--database-prefix", prefix], LocalDatabases.Environment(postgres));
            Assert.True(await chaos.WaitForExitAsync(TimeSpan.FromMinutes(10)), chaos.Output);
            Assert.True(chaos.ExitCode == 0, chaos.Output);
            var result = ResultLine().Match(chaos.Output);
            Assert.True(result.Success, chaos.Output);
            Assert.True(int.Parse(result.Groups["kinds"].Value, CultureInfo.InvariantCulture) >= 14, result.Value);
            Assert.Equal(result.Groups["faults"].Value, result.Groups["kinds"].Value);
            Assert.DoesNotContain("disagree", chaos.Output, StringComparison.Ordinal);
            var (risk, analytics) = await LocalDatabases.VerdictsAsync(postgres.AdminConnectionString, prefix);
            Assert.True(risk.Equal && analytics.Equal, $"risk: {risk}; analytics: {analytics}");
            Assert.Empty(await LocalDatabases.ReplicationLeftoversAsync(postgres.AdminConnectionString, prefix));
        }
        finally
        {
            await LocalDatabases.DropAsync(postgres.AdminConnectionString, prefix);
        }
    }

    [GeneratedRegex(@"^RESULT chaos faults=(?<faults>\d+) kinds=(?<kinds>\d+) lost=0 wrong=0 recover_p99_s=\d+(\.\d+)?$", RegexOptions.Multiline)]
    private static partial Regex ResultLine();
}
