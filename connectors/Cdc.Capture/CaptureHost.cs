using Cdc.Capture.Configuration;
using Cdc.Capture.Kafka;
using Cdc.Capture.Worker;
using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.Common.Metrics;
using Cdc.Common.Postgres;
using Cdc.Schemas.Avro;
using Cdc.Schemas.Registry;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cdc.Capture;

/// <summary>The composition root behind <c>./cdc capture</c>.</summary>
public static class CaptureHost
{
    /// <summary><c>cdc capture</c>: its flags, options, the servers it needs at start, and the connector it runs.</summary>
    public static CommandDefinition<CaptureOptions> Command { get; } = new()
    {
        Name = "cdc capture",
        Summary = """
            The .NET source connector: streams a PostgreSQL database into Kafka as Debezium change events (pgoutput
            logical replication), after an initial snapshot consistent with its slot.
            """,
        Flags = CaptureConfiguration.Flags,
        Notes = """
            Any librdkafka producer property: Producer:<property> (e.g. CDC_Producer__compression.type=zstd).
            Details, guarantees and limits: connectors/Cdc.Capture/README.md.
            """,
        ExitCodes = """
            0 stopped (SIGTERM or Ctrl-C); 1 an unexpected failure (one line here, the stack trace in the log), or the
            drain deadline passed (a row it cannot send is skipped and recorded, never fatal); 2 the operator's to fix: bad configuration,
            authentication failed, a missing database or table, missing privileges, wal_level below logical, a slot of
            another plugin, an unreachable primary or Kafka, a port in use.
            """,
        Bind = CaptureConfiguration.Bind,
        Validate = CaptureConfiguration.Validate,
        Dependencies = options =>
        [
            new PostgresDependency("the primary", options.Source!),
            new KafkaDependency("Kafka", options.BootstrapServers!, KafkaDependency.SecurityOf(options.Producer)),
        ],
        Run = RunConnectorAsync,
        LogCategory = "cdc.capture",
    };

    /// <summary>The <c>--help</c> text.</summary>
    public static string Usage => Command.Usage;

    /// <returns>0 after a clean stop, 2 for the operator's problems (bad configuration, credentials, an unreachable server...), 1 for an unexpected failure.</returns>
    public static Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stopping) =>
        CommandHost.RunAsync(Command, args, CommandConsole.System, stopping);

    private static async Task<int> RunConnectorAsync(CommandContext<CaptureOptions> context, CancellationToken stopping)
    {
        await using var capture = await StartAsync(context.Options, context.Logger, TimeProvider.System, stopping);
        await capture.RunAsync(stopping);
        return 0;
    }

    /// <summary>Builds the connector and starts its metrics endpoint; the caller runs <see cref="RunningCapture.RunAsync"/>.</summary>
    /// <exception cref="ConfigurationError">Invalid options.</exception>
    public static async Task<RunningCapture> StartAsync(CaptureOptions options, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        CaptureConfiguration.Validate(options);
        var source = NpgsqlDataSource.Create(CaptureSession.WithTextSettings(options.Source!));
        var metrics = new CaptureMetrics(options.Slot);
        var readiness = new ReadinessGate();
        readiness.MarkNotReady("waiting for PostgreSQL and Kafka");
        ConfluentSchemaRegistry? registry = null;
        IRecordEncoder encoder;
        if (options.IsAvro)
        {
            registry = new ConfluentSchemaRegistry(options.SchemaRegistry);
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
        Log.Started(logger, PgEndpoint.Describe(options.Source!), options.Slot, options.Publication, options.TopicPrefix, options.IsAvro ? "avro" : "json");
        return new RunningCapture(worker, source, metrics, server, exposition, registry)
        {
            Signals = options.KafkaSignals ? new Signals.KafkaSignalChannel(context, new Signals.Resnapshots(context)) : null,
        };
    }
}
