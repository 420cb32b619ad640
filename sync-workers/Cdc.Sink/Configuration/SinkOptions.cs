using Cdc.Schemas.Registry;
using Cdc.Store;

namespace Cdc.Sink.Configuration;

/// <summary>Everything one sink worker deployment (one subsystem) is configured with: its store's layout and mapping
/// (<see cref="StoreOptions"/>), Kafka, the store's connection, batching and resilience.</summary>
public sealed class SinkOptions : StoreOptions
{
    public KafkaOptions Kafka { get; set; } = new();

    /// <summary>Npgsql connection string of the subsystem store.</summary>
    public string? Store { get; set; }

    /// <summary>
    /// Most records applied in one batch. 5,000 measured best on 2 cores (<c>./cdc bench sink</c>): larger batches
    /// fold more per key but keep more alive, and full garbage collections ate the gain.
    /// </summary>
    public int MaxBatchSize { get; set; } = 5_000;

    /// <summary>How many partition groups apply concurrently, each in its own transaction.</summary>
    public int Parallelism { get; set; } = 2;

    /// <summary>Largest record value accepted; larger ones are dead-lettered.</summary>
    public int MaxRecordBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Port of <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>; 0 = none.</summary>
    public int MetricsPort { get; set; }

    /// <summary>
    /// How records are encoded: <c>json</c> (Kafka's JsonConverter, with or without schemas; the default) or
    /// <c>avro</c> (Confluent's AvroConverter: Schema Registry wire format; needs <see cref="SchemaRegistry"/>).
    /// </summary>
    public string Format { get; set; } = JsonFormat;

    /// <summary>
    /// The Schema Registry for <c>avro</c>, in Confluent's properties (<see cref="Cdc.Schemas.Registry.SchemaRegistrySettings"/>):
    /// <c>schema.registry.url</c>, <c>schema.registry.basic.auth.user.info</c>, <c>schema.registry.ssl.*</c>, retries and timeout.
    /// </summary>
    public Dictionary<string, string> SchemaRegistry { get; set; } = [];

    public ResilienceOptions Resilience { get; set; } = new();

    /// <summary>Tracking of source transactions (state, progress, the watermark behind <c>cdc wait</c>).</summary>
    public TransactionOptions Transactions { get; set; } = new();
    /// <summary>The connector's value modes, for records without schemas.</summary>
    public SchemalessOptions Schemaless { get; set; } = new();
    /// <summary>What happens to gaps found in the stream: heal requests, the signal topic, pacing.</summary>
    public HealOptions Heal { get; set; } = new();

    public const string JsonFormat = "json";

    public const string AvroFormat = "avro";

    public bool IsAvro => string.Equals(Format, AvroFormat, StringComparison.OrdinalIgnoreCase);

    public string DeadLetterTopic => Kafka.DeadLetterTopic ?? $"{Kafka.GroupId}.dlq";
}
