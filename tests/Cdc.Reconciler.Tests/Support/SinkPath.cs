using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Sink.Configuration;
using Cdc.Sink.Planning;
using Cdc.Sink.Store;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Catalog;
using Cdc.Store.Mapping;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cdc.Reconciler.Tests.Support;

/// <summary>
/// The pipeline without Kafka: a primary table's rows read as the source connector reads a snapshot (each value's
/// output text, turned into Debezium's value for its type by <see cref="PostgresText"/>), then planned and applied by
/// the sink's own planner and guarded apply, which create the store table from the events' schemas. Each call's events
/// carry newer versions than the last's.
/// </summary>
internal sealed class SinkPath(NpgsqlDataSource store, SinkOptions options)
{
    private readonly TableRouter _router = new(options);
    private long _version = 1_000;
    private long _offset;

    public async Task<int> CopyAsync(NpgsqlDataSource primary, string table, CancellationToken cancellationToken = default)
    {
        var info = await StoreCatalog.ReadAsync(primary, "public", table, cancellationToken)
            ?? throw new InvalidOperationException($"no table public.{table} on the primary");
        var columns = info.Columns.Select(c =>
        {
            var schema = PostgresTypeMapping.SchemaFor(c.PgType);
            schema = c.NotNull ? schema with { Optional = false } : schema;
            return (c.Name, Schema: schema, Convert: PostgresText.Converter(schema, c.PgType), IsKey: info.KeyColumns.Contains(c.Name));
        }).ToList();
        var records = new List<DecodedRecord>();
        await using (var command = primary.CreateCommand($"SELECT {string.Join(", ", columns.Select(c => Common.Postgres.PgIdentifier.Quote(c.Name)))} FROM public.{Common.Postgres.PgIdentifier.Quote(table)}"))
        {
            // Every value as its type's output text, as pgoutput and the connector's snapshot read it.
            command.AllResultTypesAreUnknown = true;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var values = columns.Select((c, i) => new Column(c.Name, reader.IsDBNull(i) ? null : c.Convert(reader.GetString(i)), c.Schema)).ToList();
                var key = new RowImage(values.Where((_, i) => columns[i].IsKey).Select(v => v with { Schema = v.Schema! with { Optional = false } }));
                var version = _version++;
                var ev = new ChangeEvent
                {
                    Operation = ChangeOperation.Create,
                    After = new RowImage(values),
                    Source = new SourceInfo { Schema = "public", Table = table, TsMs = 1_700_000_000_000, ChangeVersion = new ChangeVersion(version * 10, (version * 10) + 1) },
                };
                records.Add(new DecodedRecord(new SinkRecord($"cdc.public.{table}", 0, _offset++, null, null, null), new ChangeRecord(key.Count == 0 ? null : key, ev), null));
            }
        }

        await ApplyAsync(records, cancellationToken);
        return records.Count;
    }

    public async Task ApplyAsync(IReadOnlyList<DecodedRecord> records, CancellationToken cancellationToken = default)
    {
        var preparer = new PlanPreparer(_router, new BatchPlanner(_router), new TableCatalog(store), new SchemaManager(store), NullLogger.Instance);
        var plan = await preparer.PlanAsync(records, cancellationToken);
        if (plan.Failures.Count > 0)
        {
            throw new InvalidOperationException($"the sink could not plan {plan.Failures.Count} records, the first: {plan.Failures[0].Error.Message}");
        }

        await using var connection = new StoreConnection(await store.OpenConnectionAsync(cancellationToken));
        await new BatchApplier(new MetadataTables(options.MetadataSchema), "test-group").ApplyAsync(connection, plan, cancellationToken);
    }
}
