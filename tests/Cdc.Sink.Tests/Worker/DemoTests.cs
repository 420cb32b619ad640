using System.Diagnostics;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Worker;

/// <summary>
/// <c>cdc demo</c> as a process, smaller than the default: both stores must equal the primary (exit code 0 and the
/// RESULT line). It runs in the fault collection, alone, so no test restarts PostgreSQL under it.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class DemoTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Demo_Small_BothStoresEqualThePrimary()
    {
        // Its own databases, so a developer's ./cdc demo (cdc_demo_*) and this test never meet.
        var prefix = $"cdc_t_demo_{Guid.NewGuid():N}"[..24];
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { RepositoryPaths.CliDll, "demo", "--orders", "500", "--duration", "2", "--flips", "1", "--database-prefix", prefix })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["CDC_POSTGRES"] = postgres.AdminConnectionString;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cdc demo did not finish in {Limit.TotalMinutes:0} minutes:\n{await stdout}\n{await stderr}");
        }

        var output = await stdout;
        var errors = await stderr;
        try
        {
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{output}\n{errors}");
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.StartsWith("RESULT demo stores_in_sync=2/2 p99_ms=", lines[^1], StringComparison.Ordinal);
        }
        finally
        {
            await DropAsync(prefix);
        }
    }

    private async Task DropAsync(string prefix)
    {
        await using var connection = new Npgsql.NpgsqlConnection(postgres.AdminConnectionString);
        await connection.OpenAsync();
        foreach (var name in new[] { $"{prefix}_risk", $"{prefix}_analytics" })
        {
            await using var command = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
