using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cdc.Common.Tests.Metrics;

/// <summary>Checks the exposition with the real Prometheus linter (Debian's <c>prometheus</c> package).</summary>
public sealed class PromtoolTests
{
    [Fact]
    public async Task CheckMetrics_RenderedExposition_NoProblems()
    {
        using var scope = new MeterScope();
        var meter = scope.Meter;
        meter.CreateCounter<long>("cdc.sink.events", description: "Change events applied.")
            .Add(10, new KeyValuePair<string, object?>("table", "public.orders"), new("op", "u"));
        meter.CreateCounter<long>("cdc.sink.events", description: "Change events applied.").Add(2);
        meter.CreateCounter<double>("cdc.sink.payload", unit: "By").Add(1234.5, new KeyValuePair<string, object?>("path", "C:\\tmp \"x\"\nnext"));
        meter.CreateUpDownCounter<int>("cdc.sink.in-flight", unit: "{batch}").Add(2);
        meter.CreateGauge<double>("cdc.sink.last.commit.time", unit: "s").Record(1.7e9);
        meter.CreateObservableGauge("cdc.sink.lag", () => new Measurement<long>(42, new KeyValuePair<string, object?>("partition", 7)));
        meter.CreateObservableCounter("cdc.source.sent", () => 99L);
        var duration = meter.CreateHistogram<double>("db.client.operation.duration", unit: "s", description: "Npgsql-style.");
        duration.Record(0.003, new KeyValuePair<string, object?>("db.namespace", "app"));
        duration.Record(2, new KeyValuePair<string, object?>("db.namespace", "store"));
        meter.CreateHistogram<int>("cdc.sink.batch.size", unit: "{event}",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 10, 100] }).Record(50);

        var (exitCode, output) = await RunPromtoolAsync(await scope.Exposition.RenderAsync());

        Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics exited {exitCode}:\n{output}");
    }

    [Fact]
    public async Task CheckMetrics_CounterWithoutTotal_Reported()
    {
        var (exitCode, output) = await RunPromtoolAsync("# HELP bad a counter\n# TYPE bad counter\nbad 1\n");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("_total", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunPromtoolAsync(string exposition)
    {
        var promtool = FindOnPath("promtool")
            ?? throw new InvalidOperationException(
                "promtool is not on PATH: install Debian's prometheus package (apt-get install -y prometheus); ./cdc test installs it");
        using var process = Process.Start(new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
