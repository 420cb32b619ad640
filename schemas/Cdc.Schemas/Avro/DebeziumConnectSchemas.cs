using Cdc.Schemas.Connect;

namespace Cdc.Schemas.Avro;

/// <summary>
/// The Connect schemas Debezium's PostgreSQL connector (3.x) gives its records: <c>&lt;topic&gt;.Key</c>,
/// <c>&lt;topic&gt;.Value</c> rows, the <c>io.debezium.connector.postgresql.Source</c> block, the <c>event.block</c>
/// transaction block and the <c>&lt;topic&gt;.Envelope</c> around them (field order as Debezium writes it).
/// </summary>
public static class DebeziumConnectSchemas
{
    public const string SourceName = "io.debezium.connector.postgresql.Source";
    public const string TransactionBlockName = "event.block";
    public const int EnvelopeVersion = 2;

    /// <summary>The values <c>source.snapshot</c> may take (SnapshotRecord).</summary>
    public const string SnapshotValues = "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental";

    public static ConnectSchema Source { get; } = new()
    {
        Type = ConnectType.Struct,
        Name = SourceName,
        Version = 1,
        Optional = false,
        Fields =
        [
            Field("version", ConnectType.String, optional: false),
            Field("connector", ConnectType.String, optional: false),
            Field("name", ConnectType.String, optional: false),
            Field("ts_ms", ConnectType.Int64, optional: false),
            new ConnectField("snapshot", new ConnectSchema
            {
                Type = ConnectType.String,
                Name = ConnectLogicalNames.Enum,
                Version = 1,
                Optional = true,
                Parameters = new Dictionary<string, string> { [ConnectLogicalNames.AllowedParameter] = SnapshotValues },
                DefaultValue = "false",
            }),
            Field("db", ConnectType.String, optional: false),
            Field("sequence", ConnectType.String, optional: true),
            Field("ts_us", ConnectType.Int64, optional: true),
            Field("ts_ns", ConnectType.Int64, optional: true),
            Field("schema", ConnectType.String, optional: false),
            Field("table", ConnectType.String, optional: false),
            Field("txId", ConnectType.Int64, optional: true),
            Field("lsn", ConnectType.Int64, optional: true),
            Field("xmin", ConnectType.Int64, optional: true),
        ],
    };

    public static ConnectSchema TransactionBlock { get; } = new()
    {
        Type = ConnectType.Struct,
        Name = TransactionBlockName,
        Version = 1,
        Optional = true,
        Fields =
        [
            Field("id", ConnectType.String, optional: false),
            Field("total_order", ConnectType.Int64, optional: false),
            Field("data_collection_order", ConnectType.Int64, optional: false),
        ],
    };

    /// <summary>An END record's per-table count, <c>event.collection</c>.</summary>
    public static ConnectSchema DataCollectionCount { get; } = new()
    {
        Type = ConnectType.Struct,
        Name = "event.collection",
        Version = 1,
        Optional = true,
        Fields =
        [
            Field("data_collection", ConnectType.String, optional: false),
            Field("event_count", ConnectType.Int64, optional: false),
        ],
    };

    /// <summary>The key of a <c>&lt;prefix&gt;.transaction</c> record (SchemaFactory.transactionKeySchema).</summary>
    public static ConnectSchema TransactionKey { get; } = new()
    {
        Type = ConnectType.Struct,
        Name = "io.debezium.connector.common.TransactionMetadataKey",
        Version = 1,
        Optional = false,
        Fields = [Field("id", ConnectType.String, optional: false)],
    };

    /// <summary>The value of a <c>&lt;prefix&gt;.transaction</c> record (SchemaFactory.transactionValueSchema): BEGIN or END.</summary>
    public static ConnectSchema TransactionValue { get; } = new()
    {
        Type = ConnectType.Struct,
        Name = "io.debezium.connector.common.TransactionMetadataValue",
        Version = 1,
        Optional = false,
        Fields =
        [
            Field("status", ConnectType.String, optional: false),
            Field("id", ConnectType.String, optional: false),
            Field("event_count", ConnectType.Int64, optional: true),
            new ConnectField("data_collections", new ConnectSchema { Type = ConnectType.Array, Optional = true, Items = DataCollectionCount }),
            Field("ts_ms", ConnectType.Int64, optional: false),
        ],
    };

    /// <summary>The key struct <c>&lt;topic&gt;.Key</c> (required) of the primary-key columns.</summary>
    public static ConnectSchema Key(string topic, IEnumerable<ConnectField> keyColumns) =>
        new() { Type = ConnectType.Struct, Name = topic + ".Key", Optional = false, Fields = keyColumns.ToList() };

    /// <summary>The row struct <c>&lt;topic&gt;.Value</c> (optional: <c>before</c> and <c>after</c> may be null).</summary>
    public static ConnectSchema Row(string topic, IEnumerable<ConnectField> columns) =>
        new() { Type = ConnectType.Struct, Name = topic + ".Value", Optional = true, Fields = columns.ToList() };

    /// <summary>The envelope <c>&lt;topic&gt;.Envelope</c>: before, after, source, transaction, op, ts_ms, ts_us, ts_ns.</summary>
    public static ConnectSchema Envelope(string topic, ConnectSchema row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var optionalRow = row with { Optional = true };
        return new ConnectSchema
        {
            Type = ConnectType.Struct,
            Name = topic + ".Envelope",
            Version = EnvelopeVersion,
            Optional = false,
            Fields =
            [
                new ConnectField("before", optionalRow),
                new ConnectField("after", optionalRow),
                new ConnectField("source", Source),
                new ConnectField("transaction", TransactionBlock),
                Field("op", ConnectType.String, optional: false),
                Field("ts_ms", ConnectType.Int64, optional: true),
                Field("ts_us", ConnectType.Int64, optional: true),
                Field("ts_ns", ConnectType.Int64, optional: true),
            ],
        };
    }

    private static ConnectField Field(string name, ConnectType type, bool optional) =>
        new(name, new ConnectSchema { Type = type, Optional = optional });
}
