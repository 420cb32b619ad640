using System.Diagnostics;
using Cdc.Deploy.Tests.Support;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Deploy.Tests.Prometheus;

/// <summary>
/// Debian's postgres_exporter (prometheus-postgres-exporter, installed by scripts/prometheus.sh) on a free port,
/// connected to a PostgreSQL server with the repository's queries file, as the compose stack runs it.
/// </summary>
internal sealed class PostgresExporter : IAsyncDisposable
{
    private readonly Process _process;

    private PostgresExporter(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    /// <param name="connectionString">The server and role to watch (Npgsql form; passed as the exporter's URL).</param>
    public static async Task<PostgresExporter> StartAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var url = $"postgresql://{Uri.EscapeDataString(builder.Username!)}:{Uri.EscapeDataString(builder.Password ?? "")}@{builder.Host}:{builder.Port}/{Uri.EscapeDataString(builder.Database ?? "postgres")}?sslmode=disable";
        var port = FreeTcpPort.Next();
        var start = new ProcessStartInfo(Tool.Require("prometheus-postgres-exporter"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["DATA_SOURCE_NAME"] = url },
        };
        foreach (var argument in new[] { $"--extend.query-path={Repository.PathOf(ExporterQueries.File)}", $"--web.listen-address=127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start prometheus-postgres-exporter");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exporter = new PostgresExporter(process, port);
        await Eventually.HoldsAsync(exporter.IsUpAsync, TimeSpan.FromSeconds(60), "postgres_exporter to reach PostgreSQL (pg_up 1)");
        return exporter;
    }

    /// <summary>The exposition, as Prometheus scrapes it.</summary>
    public Task<string> MetricsAsync() => Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<bool> IsUpAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"prometheus-postgres-exporter exited with {_process.ExitCode}");
        }

        try
        {
            return (await MetricsAsync()).Contains("\npg_up 1", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
