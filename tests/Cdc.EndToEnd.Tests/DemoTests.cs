using System.Text.RegularExpressions;
using Cdc.Testing;

namespace Cdc.EndToEnd.Tests;

/// <summary><c>cdc demo</c> as a newcomer runs it, smaller than the default: every store must equal the primary after
/// the drift it injects is repaired (exit code 0 and the RESULT line), by the reconciler and by the independent verdict
/// (the demo's own, agreeing on the drift and on the end, and this test's, on the databases the demo keeps), and it
/// leaves no replication slot or publication behind (only its databases, for inspection). Its HTML report, opened in
/// headless Chromium, shows the run's own figures and writes nothing to the console.</summary>
public sealed partial class DemoTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Demo_small_ends_with_every_store_equal_to_the_primary()
    {
        var prefix = LocalDatabases.NewPrefix("demo");
        var report = Path.Combine(Path.GetTempPath(), $"{prefix}.html");
        try
        {
            using var demo = CliProcess.Start(
                ["demo", "--orders", "500", "--rate", "200", "--duration", "2", "--flips", "2", "--flip-orders", "300", "--database-prefix", prefix, "--report", report],
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
            await ReportShowsTheRunAsync(demo.Output, report);
        }
        finally
        {
            await LocalDatabases.DropAsync(postgres.AdminConnectionString, prefix);
            File.Delete(report);
        }
    }

    [Fact]
    public async Task Demo_over_Avro_through_the_embedded_Schema_Registry_ends_with_every_store_equal_to_the_primary()
    {
        var prefix = LocalDatabases.NewPrefix("demo");
        try
        {
            using var demo = CliProcess.Start(
                ["demo", "--format", "avro", "--orders", "300", "--rate", "100", "--duration", "1", "--flips", "1", "--flip-orders", "200", "--database-prefix", prefix, "--report", Path.Combine(Path.GetTempPath(), $"{prefix}.html")],
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
            File.Delete(Path.Combine(Path.GetTempPath(), $"{prefix}.html"));
        }
    }

    /// <summary>
    /// The report the run printed at its end is one self-contained file (nothing it loads from elsewhere); Chromium
    /// renders it without a console message, and the rendered page holds this run's flip count and p99.
    /// </summary>
    private static async Task ReportShowsTheRunAsync(string output, string report)
    {
        Assert.Contains($"\nreport: {report}\n", output, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(report);
        Assert.DoesNotMatch(External(), html);

        var (dom, console) = await HeadlessChromium.RenderAsync(report);

        Assert.Empty(console);
        Assert.Equal("2", Figure(dom, "flip-count"));
        Assert.Equal(ResultLine().Match(output).Groups["p99"].Value, Figure(dom, "p99-ms"));
        Assert.Equal("2/2", Figure(dom, "stores-in-sync"));
        Assert.Equal(3, dom.Split("<svg", StringSplitOptions.None).Length - 1);
    }

    private static string Figure(string dom, string id)
    {
        var match = Regex.Match(dom, $"data-figure=\"{id}\"[^>]*>([^<]*)<");
        Assert.True(match.Success, $"no figure {id} in the rendered report");
        return match.Groups[1].Value;
    }

    /// <summary>Anything a page would fetch: a src or href to another place, a CSS url(), an import.</summary>
    [GeneratedRegex(@"(src|href)\s*=|url\(|@import", RegexOptions.IgnoreCase)]
    private static partial Regex External();

    [GeneratedRegex(@"^RESULT demo stores_in_sync=2/2 p99_ms=(?<p99>\d+)$", RegexOptions.Multiline)]
    private static partial Regex ResultLine();

    [GeneratedRegex(@"public\.orders: 3 missing, 2 extra, 3 different; 8 repaired, 0 not repaired", RegexOptions.Multiline)]
    private static partial Regex RepairLine();

    [GeneratedRegex(@"independent verdict before the repair: 3 missing, 2 extra, 5 different: the same rows as the reconciler", RegexOptions.Multiline)]
    private static partial Regex VerdictLine();
}
