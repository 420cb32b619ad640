using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.Common.Metrics;
using Cdc.Common.Postgres;
using Cdc.Common.Resilience;
using Cdc.Schemas;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Json;
using Cdc.Schemas.Registry;
using Cdc.Sink.Configuration;
using Cdc.Sink.Gaps;
using Cdc.Sink.Planning;
using Cdc.Sink.Store;
using Cdc.Sink.Transactions;
using Cdc.Sink.Worker;
using Cdc.Store.Transactions;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Failures;
using Cdc.Store.Mapping;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;

namespace Cdc.Sink;

/// <summary>The composition root behind <c>./cdc sink</c>.</summary>
public static class SinkHost
{
    /// <summary><c>cdc sink</c>: its flags, options, the servers it needs at start, and the worker it runs.</summary>
    public static CommandDefinition<SinkOptions> Command { get; } = Define(null);

    private static CommandDefinition<SinkOptions> Define(Func<SinkOptions, CancellationToken, Task>? alongside) => new()
    {
        Name = "cdc sink",
        Summary = """
            One subsystem's sink worker: consumes Debezium change events from Kafka and applies them to that subsystem's
            PostgreSQL store (idempotent, version-guarded upserts; offsets committed with the rows).
            """,
        Flags = SinkConfiguration.Flags,
        Notes = """
            Pass exactly one of --topics and --topic-pattern. Any librdkafka property: Kafka:Consumer:<property> (and
            Kafka:Producer:<property> for the dead-letter producer), e.g. CDC_Kafka__Consumer__session.timeout.ms=10000.
            Table mapping (Tables, Defaults), Resilience and SchemaRegistry settings: README.md, "The sink worker".
            """,
        ExitCodes = """
            0 stopped (SIGTERM or Ctrl-C: the batch in flight is applied and committed first); 1 an unexpected failure
            (one line here, the stack trace in the log) or the drain deadline passed; 2 the operator's to fix: bad
            configuration, authentication failed, a missing database, an unreachable store or Kafka, a port in use.
            """,
        Bind = SinkConfiguration.Bind,
        Validate = SinkConfiguration.Validate,
        // The store is checked by StartAsync, after the group join (see there).
        Dependencies = options => [new KafkaDependency("Kafka", options.Kafka.BootstrapServers!, KafkaDependency.SecurityOf(options.Kafka.Consumer))],
        Run = (context, stopping) => RunWorkerAsync(context, alongside, stopping),
        LogCategory = "cdc.sink",
    };

    /// <returns>0 after a clean stop, 2 for the operator's problems (bad configuration, an unreachable server...), 1 for an unexpected failure.</returns>
    public static Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stopping) => RunAsync(args, stopping, null);

    /// <param name="alongside">Runs beside the worker until it stops (the CLI's heal worker when <c>--primary</c> is given).</param>
    /// <returns>0 after a clean stop, 2 for the operator's problems (bad configuration, an unreachable server...), 1 for an unexpected failure.</returns>
    public static Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stopping, Func<SinkOptions, CancellationToken, Task>? alongside) =>
        CommandHost.RunAsync(alongside is null ? Command : Define(alongside), args, CommandConsole.System, stopping);

    private static async Task<int> RunWorkerAsync(CommandContext<SinkOptions> context, Func<SinkOptions, CancellationToken, Task>? alongside, CancellationToken stopping)
    {
        await using var sink = await StartAsync(context.Options, context.Logger, TimeProvider.System, stopping, context.Settings.StartTimeout);
        using var stopBeside = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var beside = alongside?.Invoke(context.Options, stopBeside.Token) ?? Task.CompletedTask;
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

    /// <summary>Builds a worker and everything it needs; the caller runs <see cref="RunningSink.Worker"/>.</summary>
    /// <param name="storeDeadline">With a value, the store is first checked as <see cref="Preflight"/> checks a command's
    /// servers: a refusal ends the start, a store that does not answer is waited for until this deadline.</param>
    public static async Task<RunningSink> StartAsync(SinkOptions options, ILogger logger, TimeProvider time, CancellationToken cancellationToken, TimeSpan? storeDeadline = null)
    {
        SinkConfiguration.Validate(options);
        var dataSource = NpgsqlDataSource.Create(options.Store!);
        var metadata = new MetadataTables(options.MetadataSchema);
        var producer = new ProducerBuilder<byte[]?, byte[]?>(DeadLetterProducerConfig(options)).Build();
        var metrics = new SinkMetrics(time);
        var router = new TableRouter(options);
        var incarnations = new TopicIncarnations(KafkaClientConfig(options));
        var (decoder, registry) = CreateDecoder(options);
        var transactionTopic = options.Transactions.Enabled ? options.Transactions.TopicFor(options.Kafka) : null;
        var changed = new ChangedTransactions();
        var context = new ApplyLaneContext(
            dataSource,
            new RecordDecoder(decoder, options.MaxRecordBytes),
            new PlanPreparer(router, new BatchPlanner(router, options.Schemaless.ValueHandling), new TableCatalog(dataSource), new SchemaManager(dataSource), logger),
            new BatchApplier(metadata, options.Kafka.GroupId, incarnations.Current) { TrackTransactions = options.Transactions.Enabled },
            new DeadLetterPublisher(producer, options.DeadLetterTopic, options.Kafka.GroupId, Environment.MachineName),
            metrics,
            logger,
            time)
        {
            Atomic = options.Transactions.IsTransactional,
            ChangedTransactions = transactionTopic is null ? null : changed,
        };
        var transactions = new TransactionStore(metadata, options.Kafka.GroupId);
        if (options.Transactions.Enabled && transactionTopic is null)
        {
            Log.NotTrackingTransactions(logger);
        }

        var ends = options.Transactions.IsTransactional ? new TransactionEnds() : null;
        var tracker = transactionTopic is null ? null : new TransactionTracker(options, transactionTopic, dataSource, transactions, changed, decoder, metrics, logger, time, ends);
        var consistency = ends is null ? null : new TransactionConsistency(new TransactionBuffer(options.Transactions.MaxBufferedEvents, options.Transactions.Wait, time), ends, transactions);
        if (consistency is not null)
        {
            Log.TransactionConsistency(logger, options.Transactions.MaxBufferedEvents, options.Transactions.Wait);
        }

        var signaller = new HealSignaller(dataSource, new HealRequests(metadata), producer, options, metrics, logger);
        var worker = new SinkWorker(options, context, metadata, incarnations, signaller, tracker, consistency);
        // The group join goes first: the coordinator's rebalance (on Kafka without static membership, and on the mock
        // cluster, which waits up to the session timeout for a member that died) runs while the store is checked, its
        // bookkeeping migrated and the metrics endpoint started, instead of after them (a restarted sink's first store
        // connection, TLS and Npgsql's type catalog, took 0.5 to 1.9 s at load 13: docs/design.md#start-up). Partitions
        // are taken only when the worker polls, after this returns. A store that does not answer is waited for outside
        // the group (a member that does not poll would hold up its rebalances and keep its partitions unread), and the
        // worker joins again when it runs (docs/design.md#invariant-7-transient-faults-pause-they-dont-crash).
        worker.Join();
        try
        {
            if (storeDeadline is { } deadline)
            {
                await Preflight.CheckAsync([new PostgresDependency("the store", options.Store!)], deadline, logger, cancellationToken, waiting: worker.StepOutAsync);
            }

            await WaitForStoreAsync(() => metadata.EnsureAsync(dataSource, cancellationToken), logger, options.Kafka.GroupId, worker.StepOutAsync, cancellationToken);
            // Only this worker's Cdc meter (several workers may share a process, as in the demo), plus Npgsql and Polly.
            var exposition = new PrometheusExposition(m =>
                ReferenceEquals(m, metrics.Meter) || (PrometheusExposition.IsDefaultMeter(m) && !m.Name.StartsWith("Cdc", StringComparison.Ordinal)));
            var server = new MetricsServer(
                new MetricsServerOptions { Port = options.MetricsPort, Endpoints = endpoints => TransactionEndpoints.Map(endpoints, options.Kafka.GroupId, dataSource, transactions) },
                worker.Readiness,
                exposition);
            await server.StartAsync(cancellationToken);
            Log.Started(logger, options.Kafka.GroupId, PgEndpoint.Describe(options.Store!), options.DeadLetterTopic);
            return new RunningSink(worker, dataSource, producer, metrics, server, exposition, registry, incarnations);
        }
        catch
        {
            await worker.LeaveUnlessRunAsync();
            throw;
        }
    }

    /// <summary>
    /// The decoder for <see cref="SinkOptions.Format"/>: JsonConverter's JSON, or AvroConverter's Avro through the
    /// Schema Registry, whose client the caller disposes.
    /// </summary>
    public static (IChangeEventDecoder Decoder, ConfluentSchemaRegistry? Registry) CreateDecoder(SinkOptions options)
    {
        if (!options.IsAvro)
        {
            return (new DebeziumJsonDecoder(), null);
        }

        var registry = new ConfluentSchemaRegistry(options.SchemaRegistry);
        return (new DebeziumAvroDecoder(registry), registry);
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
            // Idle for minutes between dead letters and heal signals: a connection left over from before a broker outage
            // can be one that no longer answers, and the first dead letter after it waited out a 10 s request timeout on
            // it (the chaos run's poison fault). An idle connection is closed and opened afresh when needed.
            ConnectionsMaxIdleMs = 10_000,
            SocketTimeoutMs = Cdc.Common.Kafka.KafkaTimeouts.RequestMs,
            RequestTimeoutMs = Cdc.Common.Kafka.KafkaTimeouts.RequestMs,
            ReconnectBackoffMaxMs = Cdc.Common.Kafka.KafkaTimeouts.ReconnectBackoffMaxMs,
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
        var config = new AdminClientConfig
        {
            BootstrapServers = options.Kafka.BootstrapServers,
            SocketTimeoutMs = Cdc.Common.Kafka.KafkaTimeouts.RequestMs,
            ReconnectBackoffMaxMs = Cdc.Common.Kafka.KafkaTimeouts.ReconnectBackoffMaxMs,
        };
        foreach (var (key, value) in KafkaDependency.SecurityOf(options.Kafka.Consumer))
        {
            config.Set(key, value);
        }

        return config;
    }

    /// <summary><c>cdc-sink-store-start</c>: at start, waits out a store that is not reachable yet (from 1 s up to 30 s).</summary>
    /// <param name="waiting">Called before the first retry: the start-up is going to wait.</param>
    private static async Task WaitForStoreAsync(Func<Task> action, ILogger logger, string group, Func<Task> waiting, CancellationToken cancellationToken)
    {
        var retry = ResiliencePipelines.UntilBack(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), e => StoreFailures.Classify(e) == FailureKind.Transient);
        retry.OnRetry = async args =>
        {
            if (args.AttemptNumber == 0)
            {
                await waiting();
            }

            logger.LogWarning("waiting for the store ({Reason}); retrying in {Delay}", args.Outcome.Exception?.Message, args.RetryDelay);
        };
        var pipeline = ResiliencePipelines.Builder("cdc-sink-store-start", group).AddRetry(retry).Build();
        await pipeline.ExecuteAsync(async _ => await action(), cancellationToken);
    }
}
