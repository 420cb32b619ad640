using System.Text.Json;
using System.Text.Json.Nodes;
using Cdc.Deploy.Tests.Support;

namespace Cdc.Deploy.Tests.Prometheus;

/// <summary>Alertmanager's routing (amtool) and the Grafana dashboard's queries (promtool parses each one).</summary>
public sealed class MonitoringConfigTests
{
    private const string Dashboard = "deploy/grafana/dashboards/cdc-pipeline.json";

    [Fact]
    public async Task Alertmanager_Config_ValidAndRoutesBySeverity()
    {
        var result = await Tool.SucceedAsync("amtool", "check-config", "deploy/alertmanager/alertmanager.yml");
        var config = await Yaml.LoadAsync("deploy/alertmanager/alertmanager.yml");

        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
        Assert.Contains(config["route"]!["routes"]!.AsArray(), r => r!["matchers"]!.AsArray().Any(m => (string?)m == "severity=\"page\""));
    }

    [Fact]
    public async Task Alertmanager_InhibitRules_NameExistingAlerts()
    {
        var alerts = (await AlertRules.AlertsAsync()).Select(a => (string)a["alert"]!).ToList();
        var config = await Yaml.LoadAsync("deploy/alertmanager/alertmanager.yml");

        foreach (var rule in config["inhibit_rules"]!.AsArray())
        {
            var source = ((string)rule!["source_matchers"]![0]!).Split('"')[1];
            var targets = new System.Text.RegularExpressions.Regex("^(?:" + ((string)rule["target_matchers"]![0]!).Split('"')[1] + ")$");
            Assert.Contains(source, alerts);
            Assert.Contains(alerts, targets.IsMatch);
        }
    }

    [Fact]
    public void Dashboard_UsesTheProvisionedDataSource()
    {
        var dashboard = LoadDashboard();
        var uids = Targets(dashboard).Select(t => (string?)t["datasource"]?["uid"]).Distinct().ToList();

        Assert.Equal(["prometheus"], uids);
        Assert.Contains("uid: prometheus", Repository.Read("deploy/grafana/provisioning/datasources/prometheus.yml"), StringComparison.Ordinal);
        Assert.Contains("path: /var/lib/grafana/dashboards", Repository.Read("deploy/grafana/provisioning/dashboards/cdc.yml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_ShowsLagThroughputLatencyPercentilesDeadLettersAndDrift()
    {
        var expressions = Targets(LoadDashboard()).Select(t => (string)t["expr"]!).ToList();

        Assert.Contains(expressions, e => e.Contains("cdc_sink_lag_seconds", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("rate(cdc_sink_events_applied_total", StringComparison.Ordinal));
        foreach (var quantile in new[] { "0.5", "0.95", "0.99" })
        {
            Assert.Contains(expressions, e => e.StartsWith($"histogram_quantile({quantile}, ", StringComparison.Ordinal) && e.Contains("cdc_sink_end_to_end_latency_seconds_bucket", StringComparison.Ordinal));
        }

        Assert.Contains(expressions, e => e.Contains("cdc_sink_dead_letters_total", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("cdc_reconcile_drift_rows", StringComparison.Ordinal));
    }

    /// <summary>
    /// A subsystem variable filters every sink and reconciler panel; capture lag, the slots' WAL (either connector),
    /// and the gaps and heals of issue 12 have panels.
    /// </summary>
    [Fact]
    public void Dashboard_HasASubsystemVariable_AndCaptureSlotAndGapPanels()
    {
        var dashboard = LoadDashboard();
        var variable = Assert.Single(dashboard["templating"]!["list"]!.AsArray());
        var expressions = Targets(dashboard).Select(t => (string)t["expr"]!).ToList();

        Assert.Equal("subsystem", (string?)variable!["name"]);
        Assert.Contains("subsystem", (string)variable["definition"]!, StringComparison.Ordinal);
        Assert.True((bool)variable["includeAll"]! && (bool)variable["multi"]!);
        Assert.All(
            expressions.Where(e => e.Contains("cdc_sink_", StringComparison.Ordinal) || e.Contains("cdc_reconcile_", StringComparison.Ordinal)),
            e => Assert.Contains("subsystem=~\"$subsystem\"", e, StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("cdc_capture_lag_seconds", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("cdc_capture_slot_retained_wal_bytes or pg_slot_retained_wal_bytes", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("pg_slot_lag_bytes", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("pg_slot_active", StringComparison.Ordinal));
        Assert.All(MetricCatalog.SinkAfterAGap, m => Assert.Contains(expressions, e => e.Contains(m, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Dashboard_EveryQuery_ParsesAndReadsExportedMetrics()
    {
        var expressions = Targets(LoadDashboard()).Select(t => (string)t["expr"]!).ToList();
        // promtool has no "check expression": each query becomes a recording rule, which check rules parses.
        var rules = new JsonObject
        {
            ["groups"] = new JsonArray(new JsonObject
            {
                ["name"] = "dashboard",
                ["rules"] = new JsonArray([.. expressions.Select((e, i) => (JsonNode)new JsonObject { ["record"] = $"dashboard:query_{i}", ["expr"] = e })]),
            }),
        };
        var file = Path.Combine(Path.GetTempPath(), $"cdc-dashboard-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, rules.ToJsonString());
        try
        {
            var result = await Tool.RunAsync("promtool", ["check", "rules", file]);
            Assert.True(result.ExitCode == 0, $"a dashboard query does not parse:\n{result.Output}");
        }
        finally
        {
            File.Delete(file);
        }

        Assert.DoesNotContain(expressions.SelectMany(PromQl.CdcMetrics), m => MetricCatalog.Family(m) is null);
        Assert.Empty(expressions.SelectMany(PromQl.SlotMetrics).Except(await ExporterQueries.MetricsAsync()));
    }

    private static JsonNode LoadDashboard() =>
        JsonNode.Parse(Repository.Read(Dashboard), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false })!;

    private static IEnumerable<JsonNode> Targets(JsonNode dashboard) =>
        dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).Select(t => t!);
}
