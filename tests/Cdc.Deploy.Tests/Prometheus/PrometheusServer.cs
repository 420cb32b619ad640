using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cdc.Deploy.Tests.Support;
using Cdc.Testing;

namespace Cdc.Deploy.Tests.Prometheus;

/// <summary>
/// The real Prometheus server (Debian's prometheus package, installed by scripts/prometheus.sh) on a free port,
/// with its own config and storage in a temporary folder, scraping and evaluating every second.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly BackgroundTool _process;
    private readonly string _folder;

    private PrometheusServer(BackgroundTool process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Http { get; }

    /// <param name="scrapeConfigs">Prometheus' <c>scrape_configs</c>.</param>
    /// <param name="ruleGroups">Prometheus' rule <c>groups</c>.</param>
    public static async Task<PrometheusServer> StartAsync(JsonArray scrapeConfigs, JsonArray ruleGroups)
    {
        var folder = Directory.CreateTempSubdirectory("cdc-prometheus-").FullName;
        // JSON is YAML: both files are written as JSON.
        await File.WriteAllTextAsync(Path.Combine(folder, "rules.yml"), new JsonObject { ["groups"] = ruleGroups }.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(folder, "prometheus.yml"), new JsonObject
        {
            ["global"] = new JsonObject { ["scrape_interval"] = "1s", ["evaluation_interval"] = "1s" },
            ["rule_files"] = new JsonArray("rules.yml"),
            ["scrape_configs"] = scrapeConfigs,
        }.ToJsonString());
        var port = FreeTcpPort.Next();
        var process = BackgroundTool.Start(
            "prometheus",
            ["--config.file=prometheus.yml", "--storage.tsdb.path=data", $"--web.listen-address=127.0.0.1:{port}"],
            workingDirectory: folder);
        var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}"));
        await Eventually.HoldsAsync(server.IsReadyAsync, TimeSpan.FromSeconds(60), "Prometheus to be ready");
        return server;
    }

    /// <summary>The alerts Prometheus reports (pending or firing) from <c>/api/v1/alerts</c>.</summary>
    public async Task<JsonArray> AlertsAsync()
    {
        var body = await Http.GetFromJsonAsync<JsonObject>("/api/v1/alerts");
        return body!["data"]!["alerts"]!.AsArray();
    }

    /// <summary>An instant query through <c>/api/v1/query</c>: each series' labels and value.</summary>
    public async Task<List<(JsonObject Labels, double Value)>> QueryAsync(string promql)
    {
        var body = await Http.GetFromJsonAsync<JsonObject>("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        Assert.Equal("success", (string?)body!["status"]);
        return [.. body["data"]!["result"]!.AsArray().Select(r => (r!["metric"]!.AsObject(), double.Parse((string)r["value"]![1]!, System.Globalization.CultureInfo.InvariantCulture)))];
    }

    /// <summary>The health of every scrape target ("up", "down", "unknown").</summary>
    public async Task<List<string>> TargetHealthAsync()
    {
        var body = await Http.GetFromJsonAsync<JsonObject>("/api/v1/targets");
        return [.. body!["data"]!["activeTargets"]!.AsArray().Select(t => (string)t!["health"]!)];
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<bool> IsReadyAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}");
        }

        try
        {
            return (await Http.GetAsync("/-/ready")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
