using Cdc.Schemas.Avro;
using Cdc.Schemas.Connect;

namespace Cdc.Capture.Source;

/// <summary>
/// A captured table as Debezium describes it: its topic, the <c>.Key</c> struct of its key (the primary key, else a
/// unique index: <see cref="Cdc.Common.Postgres.KeyRule"/>; null without one),
/// the <c>.Value</c> row and the <c>.Envelope</c>. Rebuilt whenever pgoutput sends a new Relation message.
/// </summary>
internal sealed class TableShape
{
    public TableShape(string topicPrefix, uint relationId, string schema, string table, IReadOnlyList<CapturedColumn> columns)
    {
        RelationId = relationId;
        Schema = schema;
        Table = table;
        Columns = columns;
        QualifiedName = $"{schema}.{table}";
        Topic = $"{topicPrefix}.{schema}.{table}";
        HasBitVarying = columns.Any(c => c.IsBitVarying);
        KeyIndexes = [.. columns.Select((c, i) => (c, i)).Where(p => p.c.IsKey).Select(p => p.i)];
        RowSchema = DebeziumConnectSchemas.Row(Topic, columns.Select(c => new ConnectField(c.Name, c.Schema)));
        KeySchema = KeyIndexes.Length == 0
            ? null
            : DebeziumConnectSchemas.Key(Topic, KeyIndexes.Select(i => new ConnectField(columns[i].Name, columns[i].Schema with { Optional = false })));
        EnvelopeSchema = DebeziumConnectSchemas.Envelope(Topic, RowSchema);
    }

    public uint RelationId { get; }

    public string Schema { get; }

    public string Table { get; }

    /// <summary><c>schema.table</c>, as in <c>--tables</c> and Debezium's data-collection names.</summary>
    public string QualifiedName { get; }

    /// <summary>
    /// For a partition: the partitioned table at the top of its tree (<c>schema.table</c>), whose listing in
    /// <c>--tables</c> captures it; null otherwise. A partition's rows are published under its own name, as pgoutput
    /// sends them (Debezium's default, <c>publish_via_partition_root = false</c>).
    /// </summary>
    public string? PartitionRoot { get; init; }

    public string Topic { get; }

    public IReadOnlyList<CapturedColumn> Columns { get; }

    /// <summary>A column is <c>bit varying</c> (alone or in an array): only then do its records carry the bit-lengths header.</summary>
    public bool HasBitVarying { get; }

    /// <summary>Positions of the key columns in <see cref="Columns"/>, in column order.</summary>
    public int[] KeyIndexes { get; }

    public ConnectSchema? KeySchema { get; }

    public ConnectSchema RowSchema { get; }

    public ConnectSchema EnvelopeSchema { get; }
}
