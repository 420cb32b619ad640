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
    private readonly BackgroundTool _process;

    private PostgresExporter(BackgroundTool process, int port)
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
        var process = BackgroundTool.Start(
            "prometheus-postgres-exporter",
            [$"--extend.query-path={Repository.PathOf(ExporterQueries.File)}", $"--web.listen-address=127.0.0.1:{port}"],
            new Dictionary<string, string> { ["DATA_SOURCE_NAME"] = url });
        var exporter = new PostgresExporter(process, port);
        await Eventually.HoldsAsync(exporter.IsUpAsync, TimeSpan.FromSeconds(60), "postgres_exporter to reach PostgreSQL (pg_up 1)");
        return exporter;
    }

    /// <summary>The exposition, as Prometheus scrapes it.</summary>
    public Task<string> MetricsAsync() => Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
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
