using System.Net;
using Cdc.Capture.Tests.Support;
using Cdc.Testing;

namespace Cdc.Capture.Tests;

public sealed class MetricsTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task Metrics_count_changes_by_table_and_op_and_readyz_answers_once_streaming()
    {
        await using var bed = await CaptureTestBed.CreateAsync(postgres, kafka, "CREATE TABLE m (id int PRIMARY KEY)", "public.m");
        bed.Options.MetricsPort = FreeTcpPort.Next();
        await using var capture = await bed.StartAsync();
        using var http = new HttpClient { BaseAddress = capture.Capture.Server.BaseAddress };
        await CaptureTestBed.UntilStreamingAsync(capture);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);

        using var reader = bed.Reader("public.m");
        await bed.ExecuteAsync("INSERT INTO m SELECT generate_series(1, 3); DELETE FROM m WHERE id = 1");
        await reader.ReadUntilAsync(r => r.Count >= 5, TimeSpan.FromSeconds(30), "the changes");

        string text = "";
        await Wait.UntilAsync(
            async () => (text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Contains("cdc_capture_slot_retained_wal_bytes", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            "the retained WAL gauge");
        Assert.Contains("cdc_capture_changes_total{op=\"c\",table=\"public.m\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("cdc_capture_changes_total{op=\"d\",table=\"public.m\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("cdc_capture_lag_seconds", text, StringComparison.Ordinal);
        Assert.Contains($"cdc_capture_slot_retained_wal_bytes{{slot=\"{bed.Options.Slot}\"}} ", text, StringComparison.Ordinal);
        Assert.Contains("cdc_capture_ack_lag_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("db_client_operation_duration_seconds_bucket{", text, StringComparison.Ordinal);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"promtool check metrics on the running connector:\n{output}");
    }
}
