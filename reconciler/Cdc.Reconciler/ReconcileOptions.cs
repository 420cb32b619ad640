namespace Cdc.Reconciler;

/// <summary>Everything one reconcile run (or schedule) is configured with: flags, <c>CDC_</c> environment, <c>--config FILE</c>.</summary>
public sealed class ReconcileOptions
{
    /// <summary>Npgsql connection string of the primary.</summary>
    public string? Primary { get; set; }

    /// <summary>Npgsql connection string of the subsystem store.</summary>
    public string? Store { get; set; }

    /// <summary>Primary tables (<c>schema.table</c>) to check; empty = every table of the primary's <c>public</c> schema.</summary>
    public List<string> Tables { get; set; } = [];

    public RepairMode Repair { get; set; } = RepairMode.None;

    /// <summary>Print the result as JSON on stdout (progress still goes to stderr).</summary>
    public bool Json { get; set; }

    /// <summary>Run on this schedule as a service (with <c>/metrics</c>); null = once.</summary>
    public TimeSpan? Every { get; set; }

    /// <summary>Port of <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>; 0 = none.</summary>
    public int MetricsPort { get; set; }

    /// <summary>The sink's configuration file: table mapping, metadata schema, consumer group, Kafka.</summary>
    public string? SinkConfig { get; set; }

    /// <summary>The sink's options given in process (the demo's own workers); wins over <see cref="SinkConfig"/>.</summary>
    public Cdc.Sink.Configuration.SinkOptions? Sink { get; set; }

    /// <summary>Topic prefix of the source connector (<c>topic.prefix</c>): topics are <c>prefix.schema.table</c>.</summary>
    public string TopicPrefix { get; set; } = "cdc";

    /// <summary>Kafka for the sound consistency wait (default: the sink configuration's).</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>The source connector's replication slot on the primary; the wait then starts with its confirmed LSN.</summary>
    public string? Slot { get; set; }

    /// <summary>Debezium's signal table on the primary (<c>signal.data.collection</c>).</summary>
    public string SignalTable { get; set; } = "public.debezium_signal";

    /// <summary>Longest wait for the store to reach the consistency point before the run reports lag.</summary>
    public TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause before differing rows are read again; only what still differs then is drift.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Without Kafka: offsets unchanged this long count as an idle pipeline.</summary>
    public TimeSpan Idle { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a verification after a resnapshot waits for the re-streamed rows.</summary>
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Chunk size adapts so that hashing one chunk takes about this long.</summary>
    public TimeSpan ChunkTarget { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Pause between chunks while the pipeline lags more than <see cref="MaxLagBytes"/> (bytes of WAL).</summary>
    public long MaxLagBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Why this run was started, kept in its audit row (a heal names the gaps it heals); null for an ordinary run.</summary>
    public string? Reason { get; set; }

    /// <summary>
    /// Key ranges hashed at once on each side, each on its own connection (tables keyed in order: integers, and keys
    /// both servers sort alike; a table keyed by a hash of its key is read in whole-table passes).
    /// </summary>
    public int Parallel { get; set; } = 2;

    /// <summary>Ranges with at most this many rows on either side are fetched and compared row by row.</summary>
    public int FetchRows { get; set; } = 32;
}
