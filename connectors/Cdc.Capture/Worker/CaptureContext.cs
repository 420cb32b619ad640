using Cdc.Capture.Configuration;
using Cdc.Capture.Kafka;
using Cdc.Capture.Source;
using Cdc.Common.Metrics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cdc.Capture.Worker;

/// <summary>What every capture session shares: options, the source's data source, the encoder, metrics, readiness.</summary>
internal sealed class CaptureContext(
    CaptureOptions options,
    NpgsqlDataSource source,
    IRecordEncoder encoder,
    CaptureMetrics metrics,
    ReadinessGate readiness,
    ILogger logger,
    TimeProvider time)
{
    private InactiveSlotWatch? _inactiveSlots;

    public CaptureOptions Options => options;

    public NpgsqlDataSource Source => source;

    public IRecordEncoder Encoder => encoder;

    public CaptureMetrics Metrics => metrics;

    public ReadinessGate Readiness => readiness;

    public ILogger Logger => logger;

    public TimeProvider Time => time;

    public ReplicationSetup Setup { get; } = new(source, options, logger);

    /// <summary>Per process, not per session: it warns once, at start.</summary>
    public InactiveSlotWatch InactiveSlots => _inactiveSlots ??= new InactiveSlotWatch(this);

    public string Database { get; } = new NpgsqlConnectionStringBuilder(options.Source).Database!;

    public ChangeRecords Records { get; } = new(options.TopicPrefix, new NpgsqlConnectionStringBuilder(options.Source).Database!, time);
}
