using Cdc.Common.Metrics;
using Cdc.Sink.Worker;
using Microsoft.Extensions.Time.Testing;

namespace Cdc.Deploy.Tests.Prometheus;

/// <summary>What the alert rules rely on in the sink's exposition, with the clock under the test's control.</summary>
public sealed class SinkMetricsContractTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
    private readonly SinkMetrics _metrics;
    private readonly PrometheusExposition _exposition;

    public SinkMetricsContractTests()
    {
        _metrics = new SinkMetrics(_time);
        _exposition = new PrometheusExposition(m => ReferenceEquals(m, _metrics.Meter));
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [Fact]
    public async Task LagSeconds_WhileRecordsWait_KeepsGrowingWithoutNewBatches()
    {
        _metrics.SetLag("shop.public.orders", 3, records: 5, lastAppliedSourceTsMs: Now - 2_000);
        var before = await _exposition.RenderAsync();

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Contains("cdc_sink_lag_seconds{partition=\"3\",topic=\"shop.public.orders\"} 2\n", before, StringComparison.Ordinal);
        Assert.Contains("cdc_sink_lag_seconds{partition=\"3\",topic=\"shop.public.orders\"} 12\n", await _exposition.RenderAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LagSeconds_CaughtUp_ZeroHoweverOldTheLastChange()
    {
        _metrics.SetLag("t", 0, records: 0, lastAppliedSourceTsMs: Now - 3_600_000);

        Assert.Contains("cdc_sink_lag_seconds{partition=\"0\",topic=\"t\"} 0\n", await _exposition.RenderAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LagSeconds_RefreshWithoutNewChange_KeepsTheLastAppliedCommitTime()
    {
        _metrics.SetLag("t", 0, records: 5, lastAppliedSourceTsMs: Now - 4_000);
        _metrics.SetLag("t", 0, records: 9, lastAppliedSourceTsMs: null);

        var exposition = await _exposition.RenderAsync();

        Assert.Contains("cdc_sink_consumer_lag_records{partition=\"0\",topic=\"t\"} 9\n", exposition, StringComparison.Ordinal);
        Assert.Contains("cdc_sink_lag_seconds{partition=\"0\",topic=\"t\"} 4\n", exposition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LagSeconds_NothingAppliedYet_NoGuess()
    {
        _metrics.SetLag("t", 0, records: 9, lastAppliedSourceTsMs: null);

        var exposition = await _exposition.RenderAsync();

        Assert.Contains("cdc_sink_consumer_lag_records{partition=\"0\",topic=\"t\"} 9\n", exposition, StringComparison.Ordinal);
        Assert.DoesNotContain("cdc_sink_lag_seconds{", exposition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgetPartition_RevokedPartition_LeavesTheExposition()
    {
        _metrics.SetLag("t", 0, records: 1, lastAppliedSourceTsMs: Now);

        _metrics.ForgetPartition("t", 0);

        Assert.DoesNotContain("topic=\"t\"", await _exposition.RenderAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailureRatioCounters_ExportedAtZeroBeforeTheFirstRecord_ThenCounted()
    {
        var empty = await _exposition.RenderAsync();
        _metrics.CountProcessed(40);
        _metrics.CountFailed();

        var counted = await _exposition.RenderAsync();

        Assert.Contains("cdc_sink_records_processed_total 0\n", empty, StringComparison.Ordinal);
        Assert.Contains("cdc_sink_records_failed_total 0\n", empty, StringComparison.Ordinal);
        Assert.Contains("# TYPE cdc_sink_records_failed_total counter\n", empty, StringComparison.Ordinal);
        Assert.Contains("cdc_sink_records_processed_total 40\n", counted, StringComparison.Ordinal);
        Assert.Contains("cdc_sink_records_failed_total 1\n", counted, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _exposition.Dispose();
        _metrics.Dispose();
    }
}
