using System.Text.Json;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Sink.Tests.Worker;

/// <summary>
/// <c>cdc sink</c> as a .NET Generic Host, run as a process: the standard <c>Logging</c> configuration from the
/// environment (levels per category, unprefixed and with the <c>CDC_</c> prefix), the JSON console format, and the
/// drain deadline after SIGTERM.
/// </summary>
public sealed class SinkHostTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Logging_LogLevel_Default_from_the_environment_silences_the_information_lines()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 1);
        bed.Model.Upsert(1, "new");
        bed.Model.Flush();

        using var worker = WorkerProcess.Start(Args(bed), new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" });
        await bed.UntilInSyncAsync(Timeout);
        worker.Terminate();

        Assert.True(await worker.WaitForExitAsync(Timeout), worker.Output);
        Assert.Equal(0, worker.ExitCode);
        // The same worker says "sink started" at the default level (SecretsTests); at Warning it says nothing.
        Assert.DoesNotContain("sink started", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(" info: ", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_format_and_a_category_level_from_CDC_Logging_give_one_json_object_per_line()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 1);
        bed.Model.Upsert(1, "new");
        bed.Model.Flush();
        var environment = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Warning",
            ["CDC_Logging__LogLevel__cdc.sink"] = "Debug",
        };

        using var worker = WorkerProcess.Start([.. Args(bed), "--log-format", "json"], environment);
        await bed.UntilInSyncAsync(Timeout);
        worker.Terminate();
        Assert.True(await worker.WaitForExitAsync(Timeout), worker.Output);
        Assert.Equal(0, worker.ExitCode);

        var lines = worker.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var entries = lines.Select(line =>
        {
            try
            {
                return JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException e)
            {
                throw new Xunit.Sdk.XunitException($"not a JSON line: {line} ({e.Message})\n{worker.Output}");
            }
        }).ToList();
        Assert.All(entries, e => Assert.Equal("cdc.sink", e.GetProperty("Category").GetString()));
        Assert.Contains(entries, e => e.GetProperty("EventId").GetInt32() == 1001 && e.GetProperty("LogLevel").GetString() == "Information");
        // Debug for cdc.sink alone: the per-batch line (2001) shows, though the default level is Warning.
        Assert.Contains(entries, e => e.GetProperty("EventId").GetInt32() == 2001 && e.GetProperty("LogLevel").GetString() == "Debug");
        Assert.All(entries, e => Assert.True(DateTimeOffset.TryParse(e.GetProperty("Timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _)));
    }

    /// <summary>
    /// SIGTERM while the batch in flight cannot finish (its table is locked): the worker waits for it until the drain
    /// deadline, then exits with code 1 and says so; nothing of that batch was committed, and the next worker applies it.
    /// </summary>
    [Fact]
    public async Task Sigterm_with_a_batch_that_cannot_finish_exits_at_the_drain_deadline_and_loses_nothing()
    {
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 1);
        bed.Model.Upsert(1, "new");
        bed.Model.Flush();
        using (var worker = WorkerProcess.Start([.. Args(bed), "--shutdown-timeout", "00:00:02"], new Dictionary<string, string>()))
        {
            await bed.UntilInSyncAsync(Timeout);
            await using var locker = new NpgsqlConnection(bed.Store.ConnectionString);
            await locker.OpenAsync();
            await using var transaction = await locker.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE public.orders IN ACCESS EXCLUSIVE MODE", locker, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            bed.Model.Upsert(2, "new");
            bed.Model.Flush();
            await Wait.UntilAsync(() => BlockedOnLockAsync(bed.Store.ConnectionString), Timeout, "the worker's batch to wait for the lock");

            worker.Terminate();
            Assert.True(await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the worker did not exit at the drain deadline:\n" + worker.Output);
            Assert.Equal(1, worker.ExitCode);
            Assert.Contains("warn: cdc.sink[9003] drain deadline of 2 s passed", worker.Output, StringComparison.Ordinal);
            Assert.Contains("cdc sink: stopped at the drain deadline (2 s, --shutdown-timeout) with work still in flight", worker.Output, StringComparison.Ordinal);
            await transaction.RollbackAsync();
        }

        using var next = WorkerProcess.Start(Args(bed), new Dictionary<string, string>());
        await bed.UntilInSyncAsync(Timeout, "the next worker to apply the batch the stopped one left");
    }

    private static string[] Args(SinkTestBed bed) =>
        ["--bootstrap-servers", bed.Options.Kafka.BootstrapServers!, "--group", bed.Options.Kafka.GroupId, "--topics", bed.Options.Kafka.Topics[0], "--store", bed.Options.Store!];

    private static async Task<bool> BlockedOnLockAsync(string store)
    {
        await using var connection = new NpgsqlConnection(store);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()", connection);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
