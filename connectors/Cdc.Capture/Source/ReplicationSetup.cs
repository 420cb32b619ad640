using Cdc.Capture.Configuration;
using Cdc.Common.Configuration;
using Cdc.Common.Postgres;
using Npgsql;

namespace Cdc.Capture.Source;

/// <summary>
/// The source-side objects capture owns: the signal table, the publication (filtered to the include list plus the
/// signal table, like Debezium's <c>publication.autocreate.mode=filtered</c>; every table when the list is empty) and
/// the record that the slot's initial snapshot completed. That record is the publication's comment: written only
/// after Kafka acknowledged every snapshot record, so a slot without it (a crash mid-snapshot) is dropped and
/// snapshotted again.
/// </summary>
internal sealed class ReplicationSetup(NpgsqlDataSource source, CaptureOptions options, Microsoft.Extensions.Logging.ILogger logger)
{
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    private readonly (string Schema, string Table) _signal = CaptureConfiguration.QualifiedName("--signal-table", options.SignalTable);

    public (string Schema, string Table) SignalTable => _signal;

    /// <summary>The include list as (schema, table) pairs; empty means every table.</summary>
    public IReadOnlyList<(string Schema, string Table)> Included { get; } =
        [.. options.Tables.Select(t => CaptureConfiguration.QualifiedName("--tables", t))];

    /// <summary>Every operation, truncates included: they reach the stores as Debezium's <c>op=t</c> records.</summary>
    private const string Publish = "insert, update, delete, truncate";

    private string SnapshotMarker => $"cdc-capture: initial snapshot of slot {options.Slot} complete";

    /// <summary>
    /// Creates or resets only what differs: a least-privilege role (scripts/roles/capture.sql) may not create tables
    /// or publications, nor set a publication's tables (that needs ownership of each table), and <c>CREATE TABLE IF
    /// NOT EXISTS</c> checks the right to create even when the table exists. An administrator prepares both.
    /// The publication is always an explicit list (docs/design.md#no-silent-loss): the listed tables, or without a list
    /// every table of the database, but never one whose UPDATE or DELETE would then fail for the writers (no primary key
    /// and no replica identity) or that cannot be published (unlogged); each such table is named in a warning, once.
    /// A <c>FOR ALL TABLES</c> publication of an earlier version is replaced by that list in one transaction.
    /// </summary>
    /// <returns>The tables (leaf partitions) the publication streamed before and after.</returns>
    public async Task<(HashSet<string> Before, HashSet<string> After)> EnsureAsync(CancellationToken cancellationToken)
    {
        await CheckIncludedExistAsync(cancellationToken);
        var signal = PgIdentifier.Quote(_signal.Schema, _signal.Table);
        if (!await ScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", cancellationToken, signal))
        {
            await ExecuteAsync($"CREATE TABLE IF NOT EXISTS {signal} (id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048) NULL)", cancellationToken);
        }

        var candidates = await PublicationCatalog.CandidatesAsync(source, Included, cancellationToken);
        foreach (var left in candidates.Where(c => !c.Publishable && c.QualifiedName != $"{_signal.Schema}.{_signal.Table}" && _warned.Add(c.QualifiedName)))
        {
            if (left.Exists)
            {
                Log.TableLeftOut(logger, left.QualifiedName, left.Refusal!);
            }
            else
            {
                Log.TableMissing(logger, left.QualifiedName);
            }
        }

        var wanted = candidates.Where(c => c.Publishable).Select(c => (c.Schema, c.Table)).Append(_signal).Distinct().ToList();
        var tables = string.Join(", ", wanted.Select(t => PgIdentifier.Quote(t.Schema, t.Table)));
        var publication = PgIdentifier.Quote(options.Publication);
        var published = await PublishedAsync(cancellationToken);
        var before = published is null ? [] : await PublicationCatalog.LeavesAsync(source, options.Publication, cancellationToken);
        if (published is null)
        {
            await ExecuteAsync($"CREATE PUBLICATION {publication} FOR TABLE {tables} WITH (publish = '{Publish}')", cancellationToken);
        }
        else if (published.Value.AllTables)
        {
            Log.PublicationNarrowed(logger, options.Publication);
            var comment = await ScalarAsync<string?>("SELECT obj_description(oid, 'pg_publication') FROM pg_publication WHERE pubname = $1", cancellationToken, options.Publication);
            await ExecuteAsync(
                $"BEGIN; DROP PUBLICATION {publication}; CREATE PUBLICATION {publication} FOR TABLE {tables} WITH (publish = '{Publish}'); COMMENT ON PUBLICATION {publication} IS {Literal(comment)}; COMMIT;",
                cancellationToken);
        }
        else if (!published.Value.Tables.SetEquals(wanted))
        {
            await ExecuteAsync($"ALTER PUBLICATION {publication} SET TABLE {tables}", cancellationToken);
        }

        if (published is not null && !await ScalarAsync<bool>("SELECT pubtruncate FROM pg_publication WHERE pubname = $1", cancellationToken, options.Publication))
        {
            // A publication of an earlier version left truncates out: they never reached the stores.
            await ExecuteAsync($"ALTER PUBLICATION {publication} SET (publish = '{Publish}')", cancellationToken);
        }

        var after = await PublicationCatalog.LeavesAsync(source, options.Publication, cancellationToken);
        before.Remove($"{_signal.Schema}.{_signal.Table}");
        after.Remove($"{_signal.Schema}.{_signal.Table}");
        return (before, after);
    }

    /// <summary>Every table of the include list exists: a misspelt name is the operator's to fix, not a retry's.</summary>
    /// <exception cref="ConfigurationError">One line naming the missing tables.</exception>
    private async Task CheckIncludedExistAsync(CancellationToken cancellationToken)
    {
        var missing = await PgTables.MissingAsync(source, Included, cancellationToken);
        if (missing.Count > 0)
        {
            var database = new NpgsqlConnectionStringBuilder(options.Source).Database;
            throw new ConfigurationError($"--tables: {PgTables.DoesOrDo(missing)} not exist in database {database}");
        }
    }

    /// <summary>
    /// The publication's tables as they were added (a partitioned table as itself, not as the partitions
    /// <c>pg_publication_tables</c> lists), and whether it is <c>FOR ALL TABLES</c>; null when it does not exist.
    /// </summary>
    private async Task<(HashSet<(string Schema, string Table)> Tables, bool AllTables)?> PublishedAsync(CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("""
            SELECT n.nspname::text, c.relname::text, p.puballtables FROM pg_publication p
            LEFT JOIN pg_publication_rel r ON r.prpubid = p.oid
            LEFT JOIN pg_class c ON c.oid = r.prrelid
            LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE p.pubname = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.Publication });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        HashSet<(string Schema, string Table)>? tables = null;
        var allTables = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            tables ??= [];
            allTables = reader.GetBoolean(2);
            if (!await reader.IsDBNullAsync(0, cancellationToken))
            {
                tables.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        return tables is null ? null : (tables, allTables);
    }

    /// <summary>The slot's state, or null when it does not exist.</summary>
    public async Task<SlotState?> SlotAsync(CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("""
            SELECT s.confirmed_flush_lsn::text, s.plugin, s.database, s.active_pid,
                   (SELECT obj_description(p.oid, 'pg_publication') FROM pg_publication p WHERE p.pubname = $2)
            FROM pg_replication_slots s WHERE s.slot_name = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.Slot });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.Publication });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var database = RowText.Text(reader, 2);
        var expected = new NpgsqlConnectionStringBuilder(options.Source).Database;
        if (reader.GetString(1) != "pgoutput" || database != expected)
        {
            throw new ConfigurationError($"replication slot '{options.Slot}' exists but belongs to plugin {reader.GetString(1)} in database {database}: choose another --slot");
        }

        var confirmed = RowText.Text(reader, 0) is { } lsn ? (long)(ulong)NpgsqlTypes.NpgsqlLogSequenceNumber.Parse(lsn) : 0;
        var holder = await reader.IsDBNullAsync(3, cancellationToken) ? (int?)null : await reader.GetFieldValueAsync<int>(3, cancellationToken);
        var comment = RowText.Text(reader, 4);
        return new SlotState(confirmed, comment?.StartsWith(SnapshotMarker, StringComparison.Ordinal) == true, holder, Covered(comment))
        {
            Shapes = Line(comment, ShapesPrefix),
        };
    }

    /// <summary>
    /// Records that the slot's initial snapshot completed, and which tables (leaf partitions) have been read in full
    /// since: by it, or by an incremental snapshot requested when they joined the captured set.
    /// </summary>
    public Task MarkSnapshotDoneAsync(IEnumerable<string> covered, CancellationToken cancellationToken) =>
        UpdateStateAsync($"{CoveredPrefix}{System.Text.Json.JsonSerializer.Serialize(covered.Order(StringComparer.Ordinal))}", null, cancellationToken);

    /// <summary>
    /// Records the captured tables' shapes as the connector last emitted them (<see cref="SavedShapes"/>), beside the
    /// slot's snapshot marker, for the next start to compare with (docs/design.md#schema-changes).
    /// </summary>
    public Task SaveShapesAsync(string shapes, CancellationToken cancellationToken) => UpdateStateAsync(null, ShapesPrefix + shapes, cancellationToken);

    // The comment is the slot's state: marker, covered tables, shapes. Its writers (the stream, the table scan) replace
    // one line each, so they take turns.
    private readonly SemaphoreSlim _state = new(1, 1);

    private async Task UpdateStateAsync(string? coveredLine, string? shapesLine, CancellationToken cancellationToken)
    {
        await _state.WaitAsync(cancellationToken);
        try
        {
            var comment = await ScalarAsync<string?>("SELECT obj_description(p.oid, 'pg_publication') FROM pg_publication p WHERE p.pubname = $1", cancellationToken, options.Publication);
            coveredLine ??= Line(comment, CoveredPrefix) is { } covered ? CoveredPrefix + covered : null;
            shapesLine ??= Line(comment, ShapesPrefix) is { } shapes ? ShapesPrefix + shapes : null;
            await CommentAsync(string.Join('\n', new[] { SnapshotMarker, coveredLine, shapesLine }.Where(l => l is not null)), cancellationToken);
        }
        finally
        {
            _state.Release();
        }
    }

    private static string? Line(string? comment, string prefix) =>
        comment?.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line ? line[prefix.Length..] : null;

    private const string CoveredPrefix = "covered: ";

    private const string ShapesPrefix = "shapes: ";

    private static HashSet<string>? Covered(string? comment) =>
        Line(comment, CoveredPrefix) is { } line ? [.. System.Text.Json.JsonSerializer.Deserialize<string[]>(line) ?? []] : null;

    public Task ClearSnapshotDoneAsync(CancellationToken cancellationToken) => CommentAsync(null, cancellationToken);

    /// <summary>Bytes of WAL the slot holds (<c>pg_current_wal_lsn() - restart_lsn</c>), null without the slot.</summary>
    public Task<long?> RetainedWalBytesAsync(CancellationToken cancellationToken) =>
        ScalarAsync<long?>("SELECT (pg_current_wal_lsn() - restart_lsn)::int8 FROM pg_replication_slots WHERE slot_name = $1", cancellationToken, options.Slot);

    /// <summary>
    /// The server's other replication slots that no one consumes (<c>NOT active</c>; not this connector's own slot),
    /// with the WAL each keeps. Readable by any role: <c>pg_replication_slots</c> and <c>pg_current_wal_lsn()</c>.
    /// </summary>
    public async Task<IReadOnlyList<InactiveSlot>> InactiveSlotsAsync(CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("""
            SELECT slot_name::text, database::text, (pg_current_wal_lsn() - restart_lsn)::int8
            FROM pg_replication_slots
            WHERE NOT active AND slot_name <> $1 AND restart_lsn IS NOT NULL
            ORDER BY 3 DESC, 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.Slot });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var slots = new List<InactiveSlot>();
        while (await reader.ReadAsync(cancellationToken))
        {
            slots.Add(new InactiveSlot(reader.GetString(0), RowText.Text(reader, 1), reader.GetInt64(2)));
        }

        return slots;
    }

    /// <summary>Ends the walsender of a previous process that still holds the slot (a killed process's session lingers).</summary>
    public Task TerminateHolderAsync(int pid, CancellationToken cancellationToken) =>
        ScalarAsync<bool?>("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid = $2", cancellationToken, options.Slot, pid);

    private async Task CommentAsync(string? text, CancellationToken cancellationToken) =>
        await ExecuteAsync($"COMMENT ON PUBLICATION {PgIdentifier.Quote(options.Publication)} IS {Literal(text)}", cancellationToken);

    /// <summary>COMMENT takes no parameters: a standard-conforming string literal (quotes doubled, no escapes) or NULL.</summary>
    private static string Literal(string? text) => text is null ? "NULL" : $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = source.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is null or DBNull ? default! : (T)result;
    }
}
