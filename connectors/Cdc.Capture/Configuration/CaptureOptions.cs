using Cdc.Schemas.Connect;
using Cdc.Schemas.Registry;

namespace Cdc.Capture.Configuration;

/// <summary>Everything one <c>cdc capture</c> deployment (one source database) is configured with.</summary>
public sealed class CaptureOptions
{
    public const string JsonFormat = "json";
    public const string AvroFormat = "avro";

    /// <summary>Npgsql connection string of the source (the primary); the role needs REPLICATION.</summary>
    public string? Source { get; set; }

    /// <summary>Kafka bootstrap servers.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Debezium's <c>topic.prefix</c>: topics are <c>&lt;prefix&gt;.&lt;schema&gt;.&lt;table&gt;</c>.</summary>
    public string TopicPrefix { get; set; } = "cdc";

    /// <summary>
    /// The include list, <c>schema.table</c> each; empty captures every table of the database that has a usable replica
    /// identity (an explicit list kept up to date: never <c>FOR ALL TABLES</c>, which would break writers on the others).
    /// </summary>
    public List<string> Tables { get; set; } = [];

    /// <summary>The logical replication slot (Debezium's <c>slot.name</c>).</summary>
    public string Slot { get; set; } = "debezium";

    /// <summary>The publication (Debezium's <c>publication.name</c>), created or altered to match <see cref="Tables"/>.</summary>
    public string Publication { get; set; } = "dbz_publication";

    /// <summary>Debezium's signal table, <c>schema.table</c>; created when missing and always in the publication.</summary>
    public string SignalTable { get; set; } = "public.debezium_signal";

    /// <summary>
    /// Debezium's <c>signal.enabled.channels</c>: <c>source</c> (the signal table, always on: incremental snapshots need
    /// it) and <c>kafka</c> (the signal topic; on by default, so a sink that cannot reach the primary can ask for a heal).
    /// </summary>
    public string SignalChannels { get; set; } = "source,kafka";

    /// <summary>Debezium's <c>signal.kafka.topic</c>; default <c>&lt;topic.prefix&gt;-signal</c>.</summary>
    public string? SignalKafkaTopic { get; set; }

    /// <summary>Debezium's <c>signal.kafka.groupId</c>.</summary>
    public string SignalKafkaGroupId { get; set; } = "kafka-signal";

    /// <summary><c>json</c> (JsonConverter) or <c>avro</c> (AvroConverter with <see cref="SchemaRegistry"/>).</summary>
    public string Format { get; set; } = JsonFormat;

    /// <summary>JsonConverter's <c>schemas.enable</c> for <c>json</c>.</summary>
    public bool JsonSchemas { get; set; } = true;

    /// <summary>
    /// The Schema Registry for <c>avro</c>, in Confluent's properties (<see cref="SchemaRegistrySettings"/>):
    /// <c>schema.registry.url</c>, <c>schema.registry.basic.auth.user.info</c>, <c>schema.registry.ssl.*</c>, retries and timeout.
    /// </summary>
    public Dictionary<string, string> SchemaRegistry { get; set; } = [];

    /// <summary>
    /// Debezium's <c>decimal.handling.mode</c>: <c>string</c> (default: every numeric and money value exact as text,
    /// NaN and ±Infinity included), <c>precise</c> (Connect Decimal; NaN and ±Infinity have no form: such rows are skipped
    /// and recorded, docs/design.md#no-silent-loss) or <c>double</c>.
    /// </summary>
    public string DecimalHandlingMode { get; set; } = "string";

    /// <summary>
    /// Debezium's <c>interval.handling.mode</c>: <c>string</c> (default: <c>io.debezium.time.Interval</c>, exact) or
    /// <c>numeric</c> (<c>MicroDuration</c>, a month counted as 365.25/12 days).
    /// </summary>
    public string IntervalHandlingMode { get; set; } = "string";

    /// <summary>Port of <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>; 0 = none.</summary>
    public int MetricsPort { get; set; }

    /// <summary>
    /// Debezium's <c>heartbeat.interval.ms</c>: heartbeat records and idle confirmations; zero disables records. Short
    /// by default: on an idle primary a heartbeat's position (header <c>cdc.lsn</c>) is how a sink learns that nothing
    /// up to it is still coming, which is what <c>cdc wait</c> waits for.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Debezium's <c>provide.transaction.metadata</c>: BEGIN and END records on <see cref="TransactionTopic"/> and the
    /// <c>transaction</c> block in every change event. On by default (Debezium's default is off).
    /// </summary>
    public bool TransactionMetadata { get; set; } = true;

    /// <summary>
    /// At start, warn about each inactive replication slot on the server (not this connector's) that retains more WAL
    /// than this many bytes (default 1 GiB): an abandoned slot keeps WAL until the primary's disk is full.
    /// </summary>
    public long InactiveSlotWarningBytes { get; set; } = 1L << 30;

    /// <summary>
    /// How often the connector looks for tables that joined the captured set (created, given a replica identity,
    /// attached as a partition, listed): the publication follows and each is snapshotted.
    /// </summary>
    public TimeSpan TableScanInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rows per incremental-snapshot chunk (Debezium's <c>incremental.snapshot.chunk.size</c>).</summary>
    public int SnapshotChunkSize { get; set; } = 1024;

    /// <summary>Skip the initial snapshot (Debezium's <c>snapshot.mode=no_data</c>).</summary>
    public bool SkipInitialSnapshot { get; set; }

    /// <summary>Longest pause between reconnection attempts to PostgreSQL.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest record (key and value) the connector sends, 8 MiB by default; the producer's <c>message.max.bytes</c>
    /// is set above it. A row whose record is larger is recorded in <see cref="SkippedRowsTopic"/> instead, named in an
    /// error line and re-read once this limit allows (docs/design.md#no-silent-loss). Kafka's own limits (the broker's
    /// <c>message.max.bytes</c>, the topic's <c>max.message.bytes</c>) must be at least this.
    /// </summary>
    public int MaxRecordBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Where rows the connector could not send are recorded; default <c>&lt;prefix&gt;.skipped-rows</c>.</summary>
    public string? SkippedTopic { get; set; }

    public string SkippedRowsTopic => SkippedTopic ?? $"{TopicPrefix}.skipped-rows";

    /// <summary>The limit that applies: <see cref="MaxRecordBytes"/>, or a lower <c>message.max.bytes</c> set for the producer.</summary>
    public int EffectiveMaxRecordBytes =>
        Producer.TryGetValue("message.max.bytes", out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var producer)
            ? Math.Min(MaxRecordBytes, producer)
            : MaxRecordBytes;

    /// <summary>Any librdkafka producer property, passed through as is (after the safe defaults).</summary>
    public Dictionary<string, string> Producer { get; set; } = [];

    public bool IsAvro => string.Equals(Format, AvroFormat, StringComparison.OrdinalIgnoreCase);

    /// <summary>The two modes as the type mapping takes them (valid once <see cref="CaptureConfiguration.Validate"/> passed).</summary>
    public ValueHandling ValueHandling => new(
        Enum.Parse<Schemas.Connect.DecimalHandlingMode>(DecimalHandlingMode, ignoreCase: true),
        Enum.Parse<Schemas.Connect.IntervalHandlingMode>(IntervalHandlingMode, ignoreCase: true));
    public string SignalKafkaTopicName => SignalKafkaTopic ?? $"{TopicPrefix}-signal";

    public bool KafkaSignals => SignalChannels.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains("kafka", StringComparer.OrdinalIgnoreCase);

    public string HeartbeatTopic => $"__debezium-heartbeat.{TopicPrefix}";

    /// <summary>Debezium's default <c>topic.transaction</c>: <c>&lt;prefix&gt;.transaction</c>.</summary>
    public string TransactionTopic => $"{TopicPrefix}.transaction";
}
