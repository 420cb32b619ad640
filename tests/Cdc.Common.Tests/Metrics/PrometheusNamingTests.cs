using Cdc.Common.Metrics.Internal;

namespace Cdc.Common.Tests.Metrics;

public sealed class PrometheusNamingTests
{
    [Theory]
    [InlineData("cdc.sink.events", null, "Counter", "cdc_sink_events_total")]
    [InlineData("cdc_sink_events_total", null, "Counter", "cdc_sink_events_total")]
    [InlineData("cdc.sink.payload", "By", "Counter", "cdc_sink_payload_bytes_total")]
    [InlineData("cdc.sink.batch.duration", "s", "Histogram", "cdc_sink_batch_duration_seconds")]
    [InlineData("cdc_sink_batch_duration_seconds", "s", "Histogram", "cdc_sink_batch_duration_seconds")]
    [InlineData("db.client.operation.duration", "s", "Histogram", "db_client_operation_duration_seconds")]
    [InlineData("cdc_reconciler_rows_compared", "{row}", "Gauge", "cdc_reconciler_rows_compared")]
    [InlineData("cdc.sink.lag", "ms", "Gauge", "cdc_sink_lag")]
    [InlineData("resilience.polly.strategy.events", "{event}", "Counter", "resilience_polly_strategy_events_total")]
    [InlineData("cdc-sink.événements/x", null, "Gauge", "cdc_sink_vnements_x")]
    [InlineData("1st.metric", null, "Gauge", "_1st_metric")]
    [InlineData("bytes", "By", "Gauge", "bytes")]
    [InlineData("db.client.connection.count", "{connection}", "Gauge", "db_client_connection_count_value")]
    [InlineData("cdc.items.sum", null, "Counter", "cdc_items_sum_value_total")]
    [InlineData("cdc.batch.count", null, "Histogram", "cdc_batch_count")]
    public void MetricName_InstrumentNameAndUnit_PrometheusName(string instrument, string? unit, string kind, string expected)
    {
        Assert.Equal(expected, PrometheusNaming.MetricName(instrument, unit, Enum.Parse<MetricKind>(kind)));
    }

    [Theory]
    [InlineData("http.route", "http_route")]
    [InlineData("db.namespace", "db_namespace")]
    [InlineData("a-b:c", "a_b_c")]
    [InlineData("9lives", "_9lives")]
    [InlineData("topic", "topic")]
    public void LabelName_TagKey_SanitizedLabelName(string key, string expected)
    {
        Assert.Equal(expected, PrometheusNaming.LabelName(key));
    }
}
