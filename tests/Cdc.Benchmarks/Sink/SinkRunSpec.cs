namespace Cdc.Benchmarks.Sink;

/// <summary>What one sink run consumes and where it writes; with <paramref name="SchemaRegistry"/> the topic holds
/// Avro (<c>--format avro --schema-registry URL</c>), without it schemaless JSON. <paramref name="Consistency"/> is the
/// sink's <c>--consistency</c> (null: its default); <paramref name="Tracking"/> false turns transaction tracking off
/// (<c>Transactions:Enabled=false</c>).</summary>
public sealed record SinkRunSpec(
    string BootstrapServers, string Topic, string Group, string Store, long Events, int? BatchSize, int? Parallelism, string? SchemaRegistry = null, string? Consistency = null, bool Tracking = true);
