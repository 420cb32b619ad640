using Cdc.Capture.Configuration;
using Cdc.Capture.Kafka;
using Cdc.Capture.Worker;
using Cdc.Common.Configuration;
using Cdc.Common.Metrics;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Registry;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cdc.Capture;

/// <summary>The composition root behind <c>./cdc capture</c>.</summary>
public static class CaptureHost
{
    public const string Usage = """
        cdc capture: stream a PostgreSQL database into Kafka as Debezium change events (pgoutput logical replication).
          --source CONN              Npgsql connection string of the primary (role with REPLICATION)   [required]
          --bootstrap-servers LIST   Kafka bootstrap servers                                            [required]
          --topic-prefix P           topics are P.<schema>.<table> (default cdc)
          --tables s.t,s.t           include list (default: every table; the publication is then FOR ALL TABLES)
          --slot NAME                replication slot (default debezium); --publication NAME (default dbz_publication)
          --signal-table s.t         Debezium signal table (default public.debezium_signal), created when missing
          --signal-channels LIST     source,kafka (default): also read signals from Kafka (key = topic prefix)
          --signal-kafka-topic T     Debezium's signal.kafka.topic (default P-signal, partition 0)
          --format json|avro         JsonConverter (default) or AvroConverter with --schema-registry URL
          --metrics-port N           /metrics /healthz /readyz (default 0: off)
          --heartbeat-interval T     heartbeat records to __debezium-heartbeat.P (default 00:00:10; 0 = off)
          --inactive-slot-warning-bytes N
                                     at start, warn about other slots that nothing consumes and that retain
                                     more WAL than N bytes (default 1073741824, 1 GiB)
          --config FILE              the same settings as JSON; CDC_* environment variables also apply
        Exit codes: 0 stopped, 1 fatal (bad credentials, a value Debezium cannot represent...), 2 bad configuration.
        """;

    /// <returns>0 after a clean stop, 2 for bad configuration, 1 for a fatal error.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Contains("--help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        using var loggerFactory = LoggerFactory.Create(b => b
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            })
            .SetMinimumLevel(LogLevel.Information));
        var logger = loggerFactory.CreateLogger("cdc.capture");
        try
        {
            var options = CaptureConfiguration.Load(args);
            await using var capture = await StartAsync(options, logger, TimeProvider.System, stopping);
            await capture.RunAsync(stopping);
            return 0;
        }
        catch (ConfigurationError e)
        {
            await Console.Error.WriteLineAsync($"cdc capture: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "cdc capture failed");
            return 1;
        }
    }

    /// <summary>Builds the connector and starts its metrics endpoint; the caller runs <see cref="RunningCapture.RunAsync"/>.</summary>
    /// <exception cref="ConfigurationError">Invalid options.</exception>
    public static async Task<RunningCapture> StartAsync(CaptureOptions options, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        CaptureConfiguration.Validate(options);
        var source = NpgsqlDataSource.Create(CaptureSession.WithTextSettings(options.Source!));
        var metrics = new CaptureMetrics();
        var readiness = new ReadinessGate();
        readiness.MarkNotReady("waiting for PostgreSQL and Kafka");
        SchemaRegistryClient? registry = null;
        IRecordEncoder encoder;
        if (options.IsAvro)
        {
            registry = new SchemaRegistryClient(options.SchemaRegistry);
            encoder = new AvroRecordEncoder(new DebeziumAvroEncoder(registry));
        }
        else
        {
            encoder = new JsonRecordEncoder(options.JsonSchemas);
        }

        var context = new CaptureContext(options, source, encoder, metrics, readiness, logger, time);
        var worker = new CaptureWorker(context);
        var exposition = new PrometheusExposition(m =>
            ReferenceEquals(m, metrics.Meter) || (PrometheusExposition.IsDefaultMeter(m) && !m.Name.StartsWith("Cdc", StringComparison.Ordinal)));
        var server = new MetricsServer(new MetricsServerOptions { Port = options.MetricsPort }, readiness.Check, exposition);
        await server.StartAsync(cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(options.Source);
        Log.Started(logger, $"{builder.Host}:{builder.Port}/{builder.Database}", options.Slot, options.Publication, options.TopicPrefix, options.IsAvro ? "avro" : "json");
        return new RunningCapture(worker, source, metrics, server, exposition, registry)
        {
            Signals = options.KafkaSignals ? new Signals.KafkaSignalChannel(context, new Signals.Resnapshots(context)) : null,
        };
    }
}
