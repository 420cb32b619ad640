using Cdc.Capture.Configuration;
using Cdc.DevKit;
using Cdc.Testing;
using Npgsql;

namespace Cdc.Capture.Tests.Support;

/// <summary>
/// One connector's world: a fresh source database (set up by the test's SQL), its own topic prefix, slot and
/// publication, the tables' topics created on the shared mock cluster, and options pointing at all of it. Disposing
/// drops the slot (a logical slot would keep its database from being dropped).
/// </summary>
internal sealed class CaptureTestBed : IAsyncDisposable
{
    private CaptureTestBed(KafkaFixture kafka, string source, CaptureOptions options, int partitions)
    {
        Partitions = partitions;
        Kafka = kafka;
        SourceConnectionString = source;
        // The test's own client waits up to 60 s to open (Npgsql's default is 15 s). A test process that just started
        // opens its first pooled connections while it JIT-compiles Npgsql, and Npgsql's clock runs from Open(): on the
        // shared 2-core machine (load 15 to 25) that alone took more than 15 s once, at the start of the project, failing
        // TypeTests in CreateAsync. The connector under test keeps its connection string as given (it retries by itself).
        Source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(source) { Timeout = 60 }.ConnectionString);
        Options = options;
    }

    public KafkaFixture Kafka { get; }

    /// <summary>Partitions of each table topic: the mock keeps only ~5 MB per partition, so big tests need more.</summary>
    public int Partitions { get; }

    public string SourceConnectionString { get; }

    public NpgsqlDataSource Source { get; }

    public CaptureOptions Options { get; }

    public static Task<CaptureTestBed> CreateAsync(PostgresFixture postgres, KafkaFixture kafka, string setupSql, params string[] tables) =>
        CreateAsync(postgres, kafka, 4, setupSql, tables);

    public static async Task<CaptureTestBed> CreateAsync(PostgresFixture postgres, KafkaFixture kafka, int partitions, string setupSql, params string[] tables)
    {
        var source = await postgres.CreateDatabaseAsync();
        var id = Guid.NewGuid().ToString("N")[..12];
        var options = new CaptureOptions
        {
            Source = source,
            BootstrapServers = kafka.BootstrapServers,
            TopicPrefix = $"cap{id}",
            Tables = [.. tables],
            Slot = $"cdc_test_{id}",
            Publication = $"cdc_test_{id}",
        };
        var bed = new CaptureTestBed(kafka, source, options, partitions);
        await bed.ExecuteAsync(setupSql);
        foreach (var table in tables)
        {
            kafka.CreateTopic(bed.Topic(table), partitions);
        }

        kafka.CreateTopic(options.HeartbeatTopic, 1);
        return bed;
    }

    public string Topic(string table) => $"{Options.TopicPrefix}.{table}";

    public TopicReader Reader(params string[] tables) => new(Kafka, tables.Select(Topic), Partitions);

    public Task<CaptureRunner> StartAsync(Microsoft.Extensions.Logging.ILogger? logger = null) => CaptureRunner.StartAsync(Options, logger);

    public async Task ExecuteAsync(string sql)
    {
        await using var command = Source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = Source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until the connector streams (its readiness turns ready); throws the fault that stopped it, if one did.</summary>
    public static Task UntilStreamingAsync(CaptureRunner runner) =>
        Wait.UntilAsync(
            async () =>
            {
                if (runner.Completion.IsFaulted)
                {
                    await runner.Completion;
                }

                return runner.Capture.Worker.Readiness.IsReady;
            },
            TimeSpan.FromSeconds(60),
            "capture to stream");

    public async ValueTask DisposeAsync()
    {
        await ReplicationCleanup.DropAsync(SourceConnectionString, Options.Slot, publication: null);
        await Source.DisposeAsync();
    }
}
