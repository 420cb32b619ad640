using System.Text.Json.Nodes;
using Cdc.Deploy.Tests.Support;

namespace Cdc.Deploy.Tests.Prometheus;

/// <summary>The scrape config and the alert rules, checked and unit-tested by the real promtool.</summary>
public sealed class PrometheusRulesTests
{
    public static TheoryData<string> RuleTestFiles() => [.. AlertRules.TestFiles()];

    [Fact]
    public async Task CheckConfig_ScrapeConfigWithItsRules_Valid()
    {
        var result = await Tool.SucceedAsync("promtool", "check", "config", "deploy/prometheus/prometheus.yml");

        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_ScrapesEveryComponentUnderItsJob()
    {
        var config = await Yaml.LoadAsync("deploy/prometheus/prometheus.yml");
        var jobs = config["scrape_configs"]!.AsArray().Select(j => j!["job_name"]!.GetValue<string>()).ToList();

        Assert.Equal(["cdc-sink", "cdc-capture", "cdc-postgres-exporter", "cdc-reconciler"], jobs.Where(j => j.StartsWith("cdc-", StringComparison.Ordinal)));
        var sinkTargets = config["scrape_configs"]!.AsArray().Single(j => (string?)j!["job_name"] == "cdc-sink")!["static_configs"]!.AsArray()
            .Select(c => (string?)c!["labels"]!["subsystem"]).ToList();
        Assert.Equal(["risk", "analytics"], sinkTargets);
    }

    [Fact]
    public async Task CheckRules_EveryRulesFile_Valid()
    {
        var result = await Tool.SucceedAsync("promtool", ["check", "rules", .. AlertRules.RuleFiles()]);

        Assert.DoesNotContain("FAILED", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleTestFiles))]
    public async Task TestRules_UnitTestFile_Passes(string testFile)
    {
        var result = await Tool.RunAsync("promtool", ["test", "rules", Path.GetFileName(testFile)], workingDirectory: Repository.PathOf(AlertRules.TestFolder));

        Assert.True(result.ExitCode == 0, $"promtool test rules {testFile}:\n{result.Output}");
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_EveryAlert_HasSeveritySummaryAndWhatToDo()
    {
        var alerts = await AlertRules.AlertsAsync();

        Assert.True(alerts.Count >= 10, $"only {alerts.Count} alerts");
        foreach (var alert in alerts)
        {
            var name = (string)alert["alert"]!;
            Assert.Contains((string?)alert["labels"]?["severity"], new[] { "page", "ticket" });
            Assert.False(string.IsNullOrWhiteSpace((string?)alert["annotations"]?["summary"]), $"{name} has no summary");
            var description = (string?)alert["annotations"]?["description"] ?? "";
            Assert.True(description.Length > 80, $"{name}'s description does not tell the operator what to do: '{description}'");
        }
    }

    [Fact]
    public async Task Rules_EveryAlert_UnitTestedBothFiringAndSilent()
    {
        var alerts = (await AlertRules.AlertsAsync()).Select(a => (string)a["alert"]!).ToHashSet();
        var firing = new HashSet<string>();
        var silent = new HashSet<string>();
        foreach (var file in AlertRules.TestFiles())
        {
            var cases = (await Yaml.LoadAsync(file))["tests"]!.AsArray().SelectMany(t => t!["alert_rule_test"]!.AsArray());
            foreach (var check in cases)
            {
                var name = (string)check!["alertname"]!;
                (check["exp_alerts"] is JsonArray { Count: > 0 } ? firing : silent).Add(name);
            }
        }

        Assert.Empty(alerts.Except(firing));
        Assert.Empty(alerts.Except(silent));
        Assert.Empty(firing.Union(silent).Except(alerts));
    }

    [Fact]
    public async Task Rules_ReadOnlyMetricsTheComponentsExport()
    {
        var alerts = await AlertRules.AlertsAsync();

        var unknown = alerts.SelectMany(a => PromQl.CdcMetrics((string)a["expr"]!)).Where(m => MetricCatalog.Family(m) is null).ToList();

        Assert.Empty(unknown);
    }

    /// <summary>The exporter's series the rules read are the ones the queries file defines (pg_slot_&lt;column&gt;).</summary>
    [Fact]
    public async Task Rules_ReadOnlySlotSeriesTheQueriesFileDefines()
    {
        var alerts = await AlertRules.AlertsAsync();
        var defined = await ExporterQueries.MetricsAsync();

        var read = alerts.SelectMany(a => PromQl.SlotMetrics((string)a["expr"]!)).Distinct().ToList();

        Assert.NotEmpty(read);
        Assert.Empty(read.Except(defined));
    }

    [Fact]
    public async Task Rules_CoverTheIssuesAlerts()
    {
        var alerts = (await AlertRules.AlertsAsync()).ToDictionary(a => (string)a["alert"]!, a => (string)a["expr"]!);

        Assert.Contains("cdc_sink_lag_seconds", alerts["CdcSinkLagAboveSlo"], StringComparison.Ordinal);
        Assert.Contains("delta(cdc_sink_consumer_lag_records[15m]) >= 0", alerts["CdcSinkLagNotDecreasing"], StringComparison.Ordinal);
        Assert.Contains("rate(cdc_sink_records_processed_total", alerts["CdcSinkStalled"], StringComparison.Ordinal);
        Assert.Contains("cdc_sink_records_failed_total", alerts["CdcSinkDeadLetters"], StringComparison.Ordinal);
        Assert.EndsWith("> 0.05", alerts["CdcSinkFailureRatioHigh"], StringComparison.Ordinal);
        Assert.Contains("cdc_reconcile_drift_rows", alerts["CdcDriftDetected"], StringComparison.Ordinal);
        Assert.Contains("cdc_reconcile_last_success_timestamp_seconds", alerts["CdcReconcileOverdue"], StringComparison.Ordinal);
        // The slot rules cover both connectors: the .NET connector's series and postgres_exporter's (Debezium's slot).
        Assert.Contains("cdc_capture_slot_retained_wal_bytes", alerts["CdcCaptureSlotRetainedWalHigh"], StringComparison.Ordinal);
        Assert.Contains("pg_slot_retained_wal_bytes", alerts["CdcCaptureSlotRetainedWalHigh"], StringComparison.Ordinal);
        Assert.Contains("pg_slot_active == 0", alerts["CdcCaptureSlotInactive"], StringComparison.Ordinal);
        Assert.Contains("cdc_capture_inactive_slot_retained_wal_bytes", alerts["CdcCaptureSlotInactive"], StringComparison.Ordinal);
        Assert.StartsWith("up{", alerts["CdcComponentDown"], StringComparison.Ordinal);
        Assert.Contains("cdc_sink_circuit_open", alerts["CdcSinkCircuitOpen"], StringComparison.Ordinal);
    }
}
