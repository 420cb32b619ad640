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
    /// <returns>0 after a clean stop, 2 for bad configuration, 1 for a fatal error.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(args);
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
        return new RunningCapture(worker, source, metrics, server, exposition, registry);
    }
}
