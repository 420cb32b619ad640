using System.Globalization;
using System.Text.RegularExpressions;
using Cdc.Capture.Tests.Support;
using Cdc.DevKit;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Capture.Tests;

/// <summary>
/// <c>cdc capture</c> started on a server where other slots sit unconsumed: one warning line for each slot that retains
/// more WAL than the threshold, naming it and its WAL, none for the others, and the gauge for every inactive slot.
/// In the fault collection: it runs alone, so no other test's WAL pushes the fresh slot over the threshold.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed partial class InactiveSlotTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task Capture_start_warns_once_about_an_inactive_slot_holding_WAL_over_the_threshold_and_exports_every_inactive_slot()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, "CREATE TABLE w (id int PRIMARY KEY)", "public.w");
        var id = Guid.NewGuid().ToString("N")[..8];
        var abandoned = $"cdc_test_abandoned_{id}";
        var fresh = $"cdc_test_fresh_{id}";
        try
        {
            await bed.ExecuteAsync($"SELECT pg_create_logical_replication_slot('{abandoned}', 'pgoutput')");
            await bed.ExecuteAsync($"SELECT pg_logical_emit_message(false, 'cdc-test', repeat('x', {3 * MiB}))");
            await bed.ExecuteAsync($"SELECT pg_create_logical_replication_slot('{fresh}', 'pgoutput')");
            var o = bed.Options;
            var port = FreeTcpPort.Next();
            using var capture = CliProcess.Start(
            [
                "capture", "--source", o.Source!, "--bootstrap-servers", o.BootstrapServers!, "--topic-prefix", o.TopicPrefix,
                "--tables", string.Join(',', o.Tables), "--slot", o.Slot, "--publication", o.Publication,
                "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--inactive-slot-warning-bytes", MiB.ToString(CultureInfo.InvariantCulture),
            ]);
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                var metrics = "";
                await Wait.UntilAsync(
                    async () => capture.Output.Contains("streaming changes", StringComparison.Ordinal)
                        && (metrics = await MetricsAsync(http)).Contains(fresh, StringComparison.Ordinal),
                    TimeSpan.FromSeconds(60),
                    "capture to stream and export the inactive slots");

                var output = capture.Output;
                Assert.Single(WarningLines(output, abandoned));
                var database = new NpgsqlConnectionStringBuilder(o.Source).Database;
                Assert.Matches($@"inactive replication slot {abandoned} \(database {database}\) retains \d+\.\d MiB of WAL", output);
                Assert.Empty(WarningLines(output, fresh));
                Assert.Empty(WarningLines(output, o.Slot));
                Assert.True(Gauge(metrics, abandoned) >= 3 * MiB, metrics);
                Assert.True(Gauge(metrics, fresh) < MiB, metrics);
                Assert.Null(Gauge(metrics, o.Slot));
            }
            finally
            {
                capture.Terminate();
                await capture.WaitForExitAsync(TimeSpan.FromSeconds(20));
            }
        }
        finally
        {
            await ReplicationCleanup.DropAsync(bed.SourceConnectionString, abandoned, publication: null);
            await ReplicationCleanup.DropAsync(bed.SourceConnectionString, fresh, publication: null);
        }
    }

    private static async Task<string> MetricsAsync(HttpClient http)
    {
        try
        {
            return await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    private static List<string> WarningLines(string output, string slot) =>
        [.. output.Split('\n').Where(l => l.Contains($"inactive replication slot {slot} ", StringComparison.Ordinal))];

    private static long? Gauge(string metrics, string slot) =>
        GaugeLine().Matches(metrics).FirstOrDefault(m => m.Groups["slot"].Value == slot) is { } m
            ? long.Parse(m.Groups["bytes"].Value, CultureInfo.InvariantCulture)
            : null;

    [GeneratedRegex(@"^cdc_capture_inactive_slot_retained_wal_bytes\{slot=""(?<slot>[^""]+)""\} (?<bytes>\d+)", RegexOptions.Multiline)]
    private static partial Regex GaugeLine();
}
