using Cdc.Common.Configuration;
using Cdc.Common.Metrics;
using Cdc.Schemas;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Json;
using Cdc.Schemas.Registry;
using Cdc.Sink.Configuration;
using Cdc.Sink.Gaps;
using Cdc.Sink.Planning;
using Cdc.Sink.Store;
using Cdc.Sink.Worker;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Failures;
using Cdc.Store.Mapping;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cdc.Sink;

/// <summary>The composition root behind <c>./cdc sink</c>.</summary>
public static class SinkHost
{
    /// <returns>0 after a clean stop, 2 for bad configuration, 1 for a fatal error.</returns>
    public static Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stopping) => RunAsync(args, stopping, null);

    /// <param name="alongside">Runs beside the worker until it stops (the CLI's heal worker when <c>--primary</c> is given).</param>
    /// <returns>0 after a clean stop, 2 for bad configuration, 1 for a fatal error.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stopping, Func<SinkOptions, CancellationToken, Task>? alongside)
    {
        using var loggerFactory = LoggerFactory.Create(b => b
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            })
            .SetMinimumLevel(LogLevel.Information));
        var logger = loggerFactory.CreateLogger("cdc.sink");
        try
        {
            var options = SinkConfiguration.Load(args);
            await using var sink = await StartAsync(options, logger, TimeProvider.System, stopping);
            using var stopBeside = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var beside = alongside?.Invoke(options, stopBeside.Token) ?? Task.CompletedTask;
            try
            {
                await sink.Worker.RunAsync(stopping);
            }
            finally
            {
                await stopBeside.CancelAsync();
                await beside.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            return 0;
        }
        catch (ConfigurationError e)
        {
            await Console.Error.WriteLineAsync($"cdc sink: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "cdc sink failed");
            return 1;
        }
    }

    /// <summary>Builds a worker and everything it needs; the caller runs <see cref="RunningSink.Worker"/>.</summary>
    public static async Task<RunningSink> StartAsync(SinkOptions options, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        SinkConfiguration.Validate(options);
        CheckKafkaReachable(options);
        var dataSource = NpgsqlDataSource.Create(options.Store!);
        var metadata = new MetadataTables(options.MetadataSchema);
        await WaitForStoreAsync(() => metadata.EnsureAsync(dataSource, cancellationToken), logger, cancellationToken);
        var producer = new ProducerBuilder<byte[]?, byte[]?>(DeadLetterProducerConfig(options)).Build();
        var metrics = new SinkMetrics(time);
        var router = new TableRouter(options);
        var incarnations = new TopicIncarnations(KafkaClientConfig(options));
        var (decoder, registry) = CreateDecoder(options);
        var context = new ApplyLaneContext(
            dataSource,
            new RecordDecoder(decoder, options.MaxRecordBytes),
            new PlanPreparer(router, new BatchPlanner(router), new TableCatalog(dataSource), new SchemaManager(dataSource), logger),
            new BatchApplier(metadata, options.Kafka.GroupId, incarnations.Current),
            new DeadLetterPublisher(producer, options.DeadLetterTopic, options.Kafka.GroupId, Environment.MachineName),
            metrics,
            logger,
            time);
        var signaller = new HealSignaller(dataSource, new HealRequests(metadata), producer, options, metrics, logger);
        var worker = new SinkWorker(options, context, metadata, incarnations, signaller);
        // Only this worker's Cdc meter (several workers may share a process, as in the demo), plus Npgsql and Polly.
        var exposition = new PrometheusExposition(m =>
            ReferenceEquals(m, metrics.Meter) || (PrometheusExposition.IsDefaultMeter(m) && !m.Name.StartsWith("Cdc", StringComparison.Ordinal)));
        var server = new MetricsServer(new MetricsServerOptions { Port = options.MetricsPort }, worker.Readiness, exposition);
        await server.StartAsync(cancellationToken);
        Log.Started(logger, options.Kafka.GroupId, Redacted(options.Store!), options.DeadLetterTopic);
        return new RunningSink(worker, dataSource, producer, metrics, server, exposition, registry, incarnations);
    }

    /// <summary>
    /// The decoder for <see cref="SinkOptions.Format"/>: JsonConverter's JSON, or AvroConverter's Avro through the
    /// Schema Registry, whose client the caller disposes.
    /// </summary>
    public static (IChangeEventDecoder Decoder, SchemaRegistryClient? Registry) CreateDecoder(SinkOptions options)
    {
        if (!options.IsAvro)
        {
            return (new DebeziumJsonDecoder(), null);
        }

        var registry = new SchemaRegistryClient(options.SchemaRegistry);
        return (new DebeziumAvroDecoder(registry), registry);
    }

    /// <summary>The store's address without credentials, for logs.</summary>
    public static string Redacted(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static ProducerConfig DeadLetterProducerConfig(SinkOptions options)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.Kafka.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            MessageTimeoutMs = 30_000,
            LingerMs = 0,
            // A dead letter carries the record it failed on, which may be as large as any record accepted.
            MessageMaxBytes = options.MaxRecordBytes + (1 << 20),
        };
        foreach (var (key, value) in options.Kafka.Producer)
        {
            config.Set(key, value);
        }

        return config;
    }

    /// <summary>Bootstrap servers and the consumer's security settings, for the sink's admin clients.</summary>
    private static AdminClientConfig KafkaClientConfig(SinkOptions options)
    {
        var config = new AdminClientConfig { BootstrapServers = options.Kafka.BootstrapServers };
        foreach (var (key, value) in options.Kafka.Consumer.Where(p => p.Key.StartsWith("security.", StringComparison.Ordinal) || p.Key.StartsWith("sasl.", StringComparison.Ordinal) || p.Key.StartsWith("ssl.", StringComparison.Ordinal)))
        {
            config.Set(key, value);
        }

        return config;
    }

    private static void CheckKafkaReachable(SinkOptions options)
    {
        var config = KafkaClientConfig(options);
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        try
        {
            admin.GetMetadata(TimeSpan.FromSeconds(10));
        }
        catch (KafkaException e)
        {
            throw new ConfigurationError($"cannot reach Kafka at {options.Kafka.BootstrapServers}: {e.Error.Reason}", e);
        }
    }

    private static async Task WaitForStoreAsync(Func<Task> action, ILogger logger, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception e) when (StoreFailures.Classify(e) == FailureKind.Transient && !cancellationToken.IsCancellationRequested)
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * Math.Pow(2, Math.Min(attempt, 6))));
                logger.LogWarning("waiting for the store ({Reason}); retrying in {Delay}", e.Message, delay);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }
}
