using System.Text.RegularExpressions;
using Cdc.Testing;

namespace Cdc.EndToEnd.Tests;

/// <summary>
/// <c>cdc bench sink --format avro</c> as the README runs it, small: it applies the workload as JSON and as Avro, and
/// every run's store must equal what the primary would hold (the benchmark verifies each run and fails otherwise). A
/// product default that the benchmark's workload no longer matches (the schemaless decimal mode once turned every
/// amount into a dead letter) fails here, not in the next measurement.
/// </summary>
public sealed partial class BenchSmokeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Bench_sink_over_both_formats_verifies_every_run()
    {
        using var bench = CliProcess.Start(
            ["bench", "sink", "--format", "avro", "--events", "5000", "--keys", "500", "--repeat", "1", "--partitions", "8"],
            LocalDatabases.Environment(postgres));
        Assert.True(await bench.WaitForExitAsync(TimeSpan.FromMinutes(5)), bench.Output);
        Assert.True(bench.ExitCode == 0, bench.Output);
        Assert.Equal(2, StoreVerified().Count(bench.Output));
        Assert.DoesNotContain("dead-lettered", bench.Output, StringComparison.Ordinal);
        Assert.Matches(AvroResult(), bench.Output);
    }

    [GeneratedRegex(@"store verified: \d[\d,]* rows, md5 ")]
    private static partial Regex StoreVerified();

    [GeneratedRegex(@"(?m)^RESULT bench-sink-avro events_per_s=\d+ json_ratio=")]
    private static partial Regex AvroResult();
}
