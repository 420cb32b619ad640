using System.Text.Json;
using Cdc.Reconciler.Tests.Support;
using Cdc.Testing;

namespace Cdc.Reconciler.Tests;

public sealed class ReconcileCommandTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Unknown_flag_is_an_error()
    {
        Assert.Equal(2, await ReconcileCommand.RunAsync(["--no-such-flag", "x"], CancellationToken.None));
    }

    [Fact]
    public async Task Json_prints_a_machine_readable_result_and_the_exit_code_says_drift()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 2_000);
        await bed.OnStoreAsync("UPDATE items SET amount = 0 WHERE id = 77");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await ReconcileCommand.RunAsync(
            ["--primary", bed.PrimaryConnection, "--store", bed.StoreConnection, "--tables", "public.items", "--json", "--grace", "00:00:00.2"],
            output, error, errorIsTerminal: false, CancellationToken.None);

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output.ToString());
        Assert.Equal("completed", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("exit_code").GetInt32());
        var table = json.RootElement.GetProperty("tables")[0];
        Assert.Equal(2_000, table.GetProperty("rows_compared").GetInt64());
        var finding = table.GetProperty("findings")[0];
        Assert.Equal("divergent", finding.GetProperty("kind").GetString());
        Assert.Equal(["77"], finding.GetProperty("key").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["amount"], finding.GetProperty("columns").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task On_a_schedule_it_serves_its_metrics_in_prometheus_format()
    {
        await using var bed = await ReconcileBed.CreateAsync(postgres);
        await ItemsTable.CreateAsync(bed, 500);
        await bed.OnStoreAsync("DELETE FROM items WHERE id = 3");
        var port = FreeTcpPort.Next();
        using var stop = new CancellationTokenSource();
        var output = new LineCapture();
        var service = ReconcileCommand.RunAsync(
            ["--primary", bed.PrimaryConnection, "--store", bed.StoreConnection, "--tables", "public.items", "--every", "00:00:01", "--metrics-port", $"{port}", "--grace", "00:00:00.2"],
            output, TextWriter.Null, errorIsTerminal: false, stop.Token);
        string line;
        do
        {
            line = await output.ReadLineAsync(TimeSpan.FromMinutes(2));
        }
        while (!line.StartsWith("reconcile run ", StringComparison.Ordinal));

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        await stop.CancelAsync();

        Assert.Equal(0, await service);
        Assert.Contains("cdc_reconcile_drift_rows{kind=\"missing\",table=\"public.items\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("cdc_reconcile_last_success_timestamp_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("cdc_reconcile_run_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        await PromtoolAcceptsAsync(metrics);
    }

    private static async Task PromtoolAcceptsAsync(string exposition)
    {
        var (exitCode, output) = await Promtool.CheckMetricsAsync(exposition);
        Assert.True(exitCode == 0, $"promtool check metrics rejected the exposition: {output}");
    }
}
