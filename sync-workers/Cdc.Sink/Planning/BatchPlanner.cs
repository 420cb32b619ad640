using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cdc.Common.Postgres;
using Cdc.Schemas;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Model;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Catalog;
using Cdc.Store.Mapping;
using Cdc.Store.Writes;

namespace Cdc.Sink.Planning;

/// <summary>
/// Turns a batch of decoded records into per-table net changes. Pure: the caller supplies what it knows of the target
/// tables, and applies any <see cref="BatchPlan.SchemaChanges"/> before planning again. Within a batch a key's events
/// fold with the store's own rule (docs/design.md#invariant-4-newer-always-wins): an event older than or equal to the
/// row's version is dropped, so the batch's net effect equals applying its events one by one.
/// </summary>
/// <param name="router">Where each topic's rows go.</param>
/// <param name="schemaless">The connector's value modes for records without schemas; <see cref="ValueHandling.Exact"/> when null.</param>
internal sealed class BatchPlanner(TableRouter router, ValueHandling? schemaless = null)
{
    private readonly ValueHandling _schemaless = schemaless ?? ValueHandling.Exact;

    // The struct schema schemaless events are read with, built once per table version and rename map (two rules
    // may send topics to one table with different renames), not once per event.
    private readonly ConditionalWeakTable<TableInfo, ConcurrentDictionary<IReadOnlyDictionary<string, string>, ConnectSchema>> _schemalessSchemas = new();

    public BatchPlan Plan(IReadOnlyList<DecodedRecord> records, Func<TableTarget, TableInfo?> tables)
    {
        var plan = new BatchPlan();
        var verdicts = new ColumnTypeVerdicts();
        var route = new LastRoute();
        PartitionProgress? last = null;
        foreach (var record in records)
        {
            last = Track(plan, record, last);
            if (record.Failure is not null)
            {
                plan.Failures.Add(record.Failure);
                AddEvent(plan, record.Failure.Transaction ?? TrackedEvents.Of(record, failed: true));
                continue;
            }

            try
            {
                PlanRecord(plan, record, tables, verdicts, route);
                AddEvent(plan, TrackedEvents.Of(record, failed: false));
            }
            catch (Exception e) when (e is PlanningException or EventDecodeException)
            {
                var failed = TrackedEvents.Of(record, failed: true);
                plan.Failures.Add(new RecordFailure(record.Record, FailureStage.TaskPut, e) { Transaction = failed });
                AddEvent(plan, failed);
            }
        }

        return plan;
    }

    private static void AddEvent(BatchPlan plan, Cdc.Store.Transactions.TransactionEvent? tracked)
    {
        if (tracked is not null)
        {
            plan.TransactionEvents.Add(tracked);
        }
    }

    /// <param name="last">The previous record's partition: a batch holds runs of one partition's records.</param>
    private static PartitionProgress Track(BatchPlan plan, DecodedRecord record, PartitionProgress? last)
    {
        var r = record.Record;
        var progress = last is not null && last.Partition == r.Partition && string.Equals(last.Topic, r.Topic, StringComparison.Ordinal) ? last : null;
        if (progress is null && !plan.Progress.TryGetValue((r.Topic, r.Partition), out progress))
        {
            progress = new PartitionProgress(r.Topic, r.Partition);
            plan.Progress[(r.Topic, r.Partition)] = progress;
        }

        progress.NextOffset = Math.Max(progress.NextOffset, r.Offset + 1);
        if (record.Change?.Event?.Source is { } source)
        {
            if (source.ChangeVersion is { } v && (progress.Version is null || v > progress.Version))
            {
                progress.Version = v;
            }

            if (source.TsMs is { } ts)
            {
                progress.SourceTsMs = Math.Max(progress.SourceTsMs ?? ts, ts);
            }
        }

        return progress;
    }

    private void PlanRecord(BatchPlan plan, DecodedRecord record, Func<TableTarget, TableInfo?> tables, ColumnTypeVerdicts verdicts, LastRoute route)
    {
        var change = record.Change!;
        if (TableRouter.IsSideTopic(record.Record.Topic) || change.Event is not { } ev || ev.Operation == ChangeOperation.Message)
        {
            plan.Skipped++;
            return;
        }

        var (target, info) = Route(route, record.Record.Topic, ev.Source.Table, tables);
        if (ev.Operation == ChangeOperation.Truncate)
        {
            PlanTruncate(plan, ev, target, info);
            return;
        }

        var isDelete = ev.Operation == ChangeOperation.Delete;
        var image = (isDelete ? ev.Before ?? change.Key : ev.After)
            ?? throw new PlanningException($"op '{ev.Operation.Code()}' event has no {(isDelete ? "before" : "after")} image");
        var key = change.Key;
        RequireUnreservedNames(target, key, image);
        if (info is null)
        {
            RequireTable(plan, target, image, key, record.Record, ev);
            return;
        }

        if (image.IsSchemaless || key?.IsSchemaless == true)
        {
            var schema = _schemalessSchemas
                .GetValue(info, _ => new(ReferenceEqualityComparer.Instance))
                .GetOrAdd(target.Rename, _ => SchemaFromTable(target, info));
            image = image.WithSchema(schema);
            key = key?.WithSchema(schema);
        }

        if (record.Record.Headers?.TryGetLastBytes(BitLengthsHeader.Name, out var bitLengths) == true)
        {
            (image, key) = WithBitLengths(BitLengthsHeader.Decode(bitLengths), target, info, image, key, isDelete);
        }

        if (RequireColumns(plan, target, info, image, record.Record, ev.Source, verdicts))
        {
            return;
        }

        var keyValues = KeyValues(target, info, key, image);
        var tableChanges = route.Changes ??= TableChangesFor(plan, target, info);
        tableChanges.EventsByOp[ev.Operation.Code()] = tableChanges.EventsByOp.GetValueOrDefault(ev.Operation.Code()) + 1;
        if (ev.Source.TsMs is { } ts)
        {
            plan.SourceTimestamps.Add(ts);
        }

        var values = isDelete ? (keyValues is null ? null : KeyColumnValues(info, keyValues)) : Values(target, info, image, ev.Source.ChangeVersion?.EventLsn, verdicts);
        if (keyValues is null)
        {
            if (ev.Operation is ChangeOperation.Update or ChangeOperation.Delete)
            {
                throw new PlanningException($"table {target.QualifiedName} has no key: op '{ev.Operation.Code()}' cannot be applied (give the source table a primary key, or set message.key.columns)");
            }

            tableChanges.Appends.Add(new RowChange { Kind = ChangeKind.Append, RowKey = "", Version = GuardVersion(ev.Source), Values = values! });
            return;
        }

        Fold(tableChanges, PgText.RowKey(keyValues), isDelete ? ChangeKind.Delete : ChangeKind.Upsert, GuardVersion(ev.Source), values!);
    }

    private (TableTarget Target, TableInfo? Info) Route(LastRoute last, string topic, string? sourceTable, Func<TableTarget, TableInfo?> tables)
    {
        if (last.Target is null || !string.Equals(last.Topic, topic, StringComparison.Ordinal) || !string.Equals(last.SourceTable, sourceTable, StringComparison.Ordinal))
        {
            last.Topic = topic;
            last.SourceTable = sourceTable;
            last.Target = router.Resolve(topic, sourceTable);
            last.Info = tables(last.Target);
            last.Changes = null;
        }

        return (last.Target, last.Info);
    }

    /// <summary>
    /// The previous record's route: a batch holds runs of one topic's records, so a record of the same topic and source
    /// table as the one before skips the router, the table lookup and the plan's table lookup.
    /// </summary>
    private sealed class LastRoute
    {
        public string? Topic;
        public string? SourceTable;
        public TableTarget? Target;
        public TableInfo? Info;
        public TableChanges? Changes;
    }

    /// <summary>
    /// The image (a delete's before, else the after) and the key with their <c>bit varying</c> values (and arrays of them)
    /// at the exact lengths the connector sent. Only
    /// for store columns of type <c>bit varying</c> or <c>bit varying[]</c>: a <c>bit(n)</c> store column (a table
    /// created from Debezium's schema without the source type) takes the padded value.
    /// </summary>
    /// <exception cref="EventDecodeException">The <see cref="BitLengthsHeader"/> contradicts the event.</exception>
    private static (RowImage Image, RowImage? Key) WithBitLengths(BitLengthsHeader header, TableTarget target, TableInfo info, RowImage image, RowImage? key, bool isDelete) => (
        BitLengthsHeader.Apply(image, ForBitVarying(isDelete ? header.Before : header.After, target, info, isKey: false)),
        key is null ? null : BitLengthsHeader.Apply(key, ForBitVarying(header.Key, target, info, isKey: true)));

    private static Dictionary<string, BitLength> ForBitVarying(IReadOnlyDictionary<string, BitLength> lengths, TableTarget target, TableInfo info, bool isKey) =>
        lengths
            .Where(l => target.TargetColumn(l.Key, isKey) is { } name && info.Columns.Any(c => c.Name == name && c.PgType.StartsWith("bit varying", StringComparison.Ordinal)))
            .ToDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The version a change is guarded by. Incremental-snapshot reads are applied where they arrive
    /// (docs/design.md#invariant-4-newer-always-wins): their <c>sequence</c> only tells when the chunk was sent, not
    /// when the row was read.
    /// </summary>
    private static ChangeVersion? GuardVersion(SourceInfo source) => source.IsIncrementalSnapshot ? null : source.ChangeVersion;

    private static void Fold(TableChanges table, string rowKey, ChangeKind kind, ChangeVersion? version, Dictionary<string, object?> values)
    {
        if (!table.Rows.TryGetValue(rowKey, out var row))
        {
            table.Rows[rowKey] = new RowChange { Kind = kind, RowKey = rowKey, Version = version, Values = values };
            return;
        }

        if (version is { } v && row.Version is { } current && !v.IsNewerThan(current))
        {
            // Superseded in the batch: counted and reported with the store's own superseded events.
            table.Superseded++;
            return;
        }

        if (kind == ChangeKind.Upsert && row.Kind == ChangeKind.Upsert)
        {
            // Columns this event lacks (unchanged TOAST, or an older schema) keep the batch's latest known value.
            foreach (var (column, value) in row.Values)
            {
                values.TryAdd(column, value);
            }
        }

        row.Kind = kind;
        row.Values = values;
        row.Version = version ?? row.Version;
    }

    private static void PlanTruncate(BatchPlan plan, ChangeEvent ev, TableTarget target, TableInfo? info)
    {
        if (target.Truncate == TruncateMode.Ignore || info is null)
        {
            plan.Skipped++;
            return;
        }

        var table = TableChangesFor(plan, target, info);
        table.EventsByOp["t"] = table.EventsByOp.GetValueOrDefault("t") + 1;
        if (ev.Source.ChangeVersion is not { } version)
        {
            table.TruncateAll = true;
        }
        else if (table.Truncate is not { } current || version.IsNewerThan(current))
        {
            table.Truncate = version;
        }
    }

    private static TableChanges TableChangesFor(BatchPlan plan, TableTarget target, TableInfo info)
    {
        if (!plan.Tables.TryGetValue(target, out var table))
        {
            table = new TableChanges(target, info);
            plan.Tables[target] = table;
        }

        return table;
    }

    /// <summary>
    /// Asks for a table the store lacks. When the first event of that table is a live change (not a snapshot read) of a
    /// connector that does not snapshot tables by itself when they appear (Debezium: a renamed table, a table the
    /// connector started streaming without a snapshot), the primary may hold rows this topic never carried, so the new
    /// table also asks for its re-snapshot (<see cref="SchemaChange.Trigger"/>; docs/design.md#schema-changes).
    /// </summary>
    private static void RequireTable(BatchPlan plan, TableTarget target, RowImage image, RowImage? key, SinkRecord record, ChangeEvent ev)
    {
        if (image.IsSchemaless || key?.IsSchemaless == true)
        {
            throw new PlanningException($"table {target.QualifiedName} does not exist and the event carries no schema to create it from: create the table, or enable schemas in the converter");
        }

        if (!target.AutoCreate)
        {
            throw new PlanningException($"table {target.QualifiedName} does not exist and AutoCreate is off");
        }

        if (plan.SchemaChanges.Any(c => c.Target.Equals(target)))
        {
            return;
        }

        Identifier("schema", target.Schema);
        Identifier("table", target.Table);
        var columns = new List<(string, ConnectSchema)>();
        foreach (var column in (key ?? Enumerable.Empty<Column>()).Concat(image))
        {
            if (target.TargetColumn(column.Name, key?.TryGet(column.Name, out _) == true) is { } name && columns.All(c => c.Item1 != name))
            {
                columns.Add((Identifier("column", name), column.Schema!));
            }
        }

        var keyColumns = key?.Select(k => target.TargetColumn(k.Name, isKey: true)!).ToList() ?? [];
        var live = ev.Operation != ChangeOperation.Read && ev.Source.Snapshot == "false";
        plan.SchemaChanges.Add(new SchemaChange(target, CreateTable: true, columns, keyColumns)
        {
            Trigger = live && !ev.Source.ResnapshotsOnSchemaChange ? record : null,
        });
    }

    /// <summary>
    /// Asks for columns the event has and the table lacks, and for columns narrower than the event's schema (a
    /// source column widened mid-stream); true when the record must wait for that DDL. Without AutoEvolve a narrower
    /// column makes the record poison with the reason, rather than letting PostgreSQL round it into the column. A column
    /// whose source changed to a type it cannot hold is retyped (<see cref="ColumnWidening.RetypedType"/>), unless the
    /// event is older than the change that retyped it. For a connector that does not re-read a table after its schema
    /// changed (Debezium), any such change also asks for the table's re-snapshot (<see cref="SchemaChange.Trigger"/>):
    /// the primary may have rewritten its rows (a rename, a <c>USING</c> expression, a volatile default) without events.
    /// </summary>
    private static bool RequireColumns(BatchPlan plan, TableTarget target, TableInfo info, RowImage image, SinkRecord record, SourceInfo source, ColumnTypeVerdicts verdicts)
    {
        List<(string Column, ConnectSchema Schema)>? missing = null;
        List<(string Column, string Type)>? widened = null;
        List<(string Column, string From, string To, long? EventLsn)>? retyped = null;
        var eventLsn = source.ChangeVersion?.EventLsn;
        foreach (var column in image)
        {
            if (column.Schema is null || target.TargetColumn(column.Name, isKey: false) is not { } name)
            {
                continue;
            }

            if (info.Find(name) is not { } existing)
            {
                (missing ??= []).Add((Identifier("column", name), column.Schema));
            }
            else if (OfTypeBeforeRetype(existing, column.Schema, eventLsn, verdicts))
            {
                continue;
            }
            else if (verdicts.Widened(existing, column.Schema) is { } wider)
            {
                (widened ??= []).Add(target.AutoEvolve
                    ? (name, wider)
                    : throw new PlanningException($"column {name} of {target.QualifiedName} is {existing.PgType} but the event carries {PostgresTypeMapping.ColumnTypeFor(column.Schema)} values; AutoEvolve is off, so the sink does not widen it (ALTER the column to {wider}, or turn AutoEvolve on)"));
            }
            else if (target.AutoEvolve && existing.TypeKind == 'b' && verdicts.Retyped(existing, column.Schema) is { } type)
            {
                (retyped ??= []).Add((name, existing.PgType, type, eventLsn));
            }
        }

        if (!target.AutoEvolve || (missing is null && widened is null && retyped is null))
        {
            return false;
        }

        var change = plan.SchemaChanges.FirstOrDefault(c => c.Target.Equals(target));
        plan.SchemaChanges.Remove(change!);
        plan.SchemaChanges.Add(new SchemaChange(target, CreateTable: false, (change?.Columns ?? []).Concat(missing ?? []).DistinctBy(c => c.Column).ToList(), [])
        {
            Widened = (change?.Widened ?? []).Concat(widened ?? []).DistinctBy(c => c.Column).ToList(),
            Retyped = (change?.Retyped ?? []).Concat(retyped ?? []).DistinctBy(c => c.Column).ToList(),
            Trigger = change?.Trigger ?? (source.ResnapshotsOnSchemaChange ? null : record),
        });
        return true;
    }

    /// <summary>
    /// A name from an event about to be created in the store. One PostgreSQL cannot hold as given (over 63 bytes: it
    /// would be truncated, and two names could become one) makes that record poison, with the reason.
    /// </summary>
    private static string Identifier(string what, string name)
    {
        try
        {
            PgIdentifier.Validate(name);
            return name;
        }
        catch (ArgumentException e)
        {
            throw new PlanningException($"{what} name: {e.Message}", e);
        }
    }

    /// <summary>
    /// The key's values in the order of the table's key columns, from the record key (or the image when the key is null
    /// but the table has one); null for a keyless table.
    /// </summary>
    private static object?[]? KeyValues(TableTarget target, TableInfo info, RowImage? key, RowImage image)
    {
        var keyColumns = info.KeyColumns;
        if (keyColumns.Count == 0)
        {
            if (key is not null)
            {
                throw new PlanningException($"table {target.QualifiedName} has no primary key or unique constraint, but its events are keyed by ({string.Join(", ", key.Select(k => k.Name))}): add the key to the table");
            }

            return null;
        }

        var values = new object?[keyColumns.Count];
        // A PostgreSQL key has at most 32 columns (INDEX_MAX_KEYS).
        Span<bool> seen = keyColumns.Count <= 32 ? stackalloc bool[keyColumns.Count] : new bool[keyColumns.Count];
        var distinct = 0;
        var foreign = false;
        foreach (var column in key ?? image)
        {
            if (target.TargetColumn(column.Name, isKey: true) is not { } name)
            {
                continue;
            }

            var at = IndexOf(keyColumns, name);
            if (key is null && at < 0)
            {
                continue;
            }

            if (column.Value is Unavailable)
            {
                throw new PlanningException($"key column {name} is an unavailable TOAST value");
            }

            if (at < 0)
            {
                foreign = true;
                continue;
            }

            values[at] = column.Value;
            if (!seen[at])
            {
                seen[at] = true;
                distinct++;
            }
        }

        if (foreign || distinct != keyColumns.Count)
        {
            throw new PlanningException($"table {target.QualifiedName} is keyed by ({string.Join(", ", keyColumns)}) but the event's key is ({string.Join(", ", EventKeyNames(target, info, key, image))})");
        }

        if (key is not null)
        {
            RequireKeyMatchesRow(target, key, image);
        }

        return values;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The store names of the event's key columns, as <see cref="KeyValues"/> reads them (for its refusal).</summary>
    private static IEnumerable<string> EventKeyNames(TableTarget target, TableInfo info, RowImage? key, RowImage image) =>
        (key ?? image)
            .Select(c => target.TargetColumn(c.Name, isKey: true))
            .OfType<string>()
            .Where(name => key is not null || info.KeyColumns.Contains(name))
            .Distinct(StringComparer.Ordinal);

    /// <summary>A delete's values: its key columns.</summary>
    private static Dictionary<string, object?> KeyColumnValues(TableInfo info, object?[] keyValues)
    {
        var values = new Dictionary<string, object?>(keyValues.Length, StringComparer.Ordinal);
        for (var i = 0; i < keyValues.Length; i++)
        {
            values[info.KeyColumns[i]] = keyValues[i];
        }

        return values;
    }

    /// <summary>
    /// A source column stored under a name the sink keeps for itself (docs/design.md#bookkeeping-names) would collide with
    /// a bookkeeping column: the table's records are refused (dead-lettered) before any DDL or write, every other table flows.
    /// </summary>
    private static void RequireUnreservedNames(TableTarget target, RowImage? key, RowImage image)
    {
        if (key is not null)
        {
            foreach (var column in key)
            {
                RequireUnreserved(target, key, column.Name);
            }
        }

        foreach (var column in image)
        {
            RequireUnreserved(target, key, column.Name);
        }
    }

    private static void RequireUnreserved(TableTarget target, RowImage? key, string column)
    {
        // Without renames a column is stored under its own name (or not at all): only a reserved name can be refused.
        if (target.Rename.Count == 0 && !SinkColumns.IsReserved(column))
        {
            return;
        }

        if (target.TargetColumn(column, isKey: key?.TryGet(column, out _) == true) is { } name && SinkColumns.IsReserved(name))
        {
            throw new PlanningException(SinkColumns.ReservedNameRefusal(target.QualifiedName, column, name));
        }
    }

    /// <summary>
    /// The record's key names the row its value changes: each key column the row image carries has the key's value
    /// (compared as the text the store would be given). A contradiction (key <c>k=a</c>, <c>after.k=b</c>) is a broken
    /// producer; applying it would change or delete a row the key does not name, so it is refused and dead-lettered.
    /// </summary>
    private static void RequireKeyMatchesRow(TableTarget target, RowImage key, RowImage image)
    {
        foreach (var column in key)
        {
            if (image.TryGet(column.Name, out var inRow) && inRow.Value is not Unavailable && column.Value is not Unavailable &&
                !SameText(inRow.Value, column.Value) && PgText.Format(inRow.Value) is var rowText && PgText.Format(column.Value) is var keyText && !string.Equals(rowText, keyText, StringComparison.Ordinal))
            {
                throw new PlanningException(
                    $"table {target.QualifiedName}: the record's key ({column.Name}={keyText ?? "NULL"}) contradicts its row ({column.Name}={rowText ?? "NULL"}); a key must name the row its value changes");
            }
        }
    }

    /// <summary>True when both values are of a type whose equal values have one text, and are equal (no text needed to compare).</summary>
    private static bool SameText(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x == y,
        (int x, int y) => x == y,
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        _ => false,
    };

    /// <param name="eventLsn">The event's LSN: a column retyped by a later change keeps the store's value when the event
    /// carries it in the old type (<see cref="OfTypeBeforeRetype"/>), as an unchanged TOAST value does.</param>
    private static Dictionary<string, object?> Values(TableTarget target, TableInfo info, RowImage image, long? eventLsn, ColumnTypeVerdicts verdicts)
    {
        var values = new Dictionary<string, object?>(image.Count, StringComparer.Ordinal);
        foreach (var column in image)
        {
            if (column.Value is Unavailable)
            {
                continue;
            }

            var isKey = info.KeyColumns.Contains(column.Name);
            if (target.TargetColumn(column.Name, isKey) is { } name && info.Find(name) is { } existing && (isKey || !OfTypeBeforeRetype(existing, column.Schema, eventLsn, verdicts)))
            {
                values[name] = column.Value;
            }
        }

        return values;
    }

    /// <summary>
    /// The event carries the column in a type the store column no longer has, and is older than the change that retyped
    /// it (<see cref="ColumnWidening.RetypedAt"/>): it was in flight on another partition when the source's type changed.
    /// Every event of the source's old type is older than its DDL, and every event of the new type younger; so such an
    /// event neither widens nor retypes the column back, and its value is left out (the table's re-snapshot, which follows
    /// the DDL, rewrites the row).
    /// </summary>
    private static bool OfTypeBeforeRetype(TableColumn existing, ConnectSchema? schema, long? eventLsn, ColumnTypeVerdicts verdicts) =>
        schema is not null && ColumnWidening.RetypedAt(existing.Comment) is { } retypedAt && eventLsn < retypedAt &&
        (verdicts.Widened(existing, schema) is not null || verdicts.Retyped(existing, schema) is not null);

    /// <summary>The Connect schema a schemaless event's fields take, read off the target table's column types (by source name).</summary>
    private ConnectSchema SchemaFromTable(TableTarget target, TableInfo info)
    {
        var bySource = target.Rename.ToDictionary(r => r.Value, r => r.Key, StringComparer.Ordinal);
        var fields = info.DataColumns
            .Select(c => new ConnectField(bySource.GetValueOrDefault(c.Name, c.Name), PostgresTypeMapping.SchemaFor(c.PgType, _schemaless)))
            .ToList();
        return new ConnectSchema { Type = ConnectType.Struct, Fields = fields };
    }
}
