using System.Text.Json;
using Cdc.Capture.Worker;
using Cdc.Common.Postgres;
using Npgsql;

namespace Cdc.Capture.Signals;

/// <summary>
/// The one way anything asks this connector to re-read tables without stopping the stream: an <c>execute-snapshot</c>
/// row in the signal table, which the stream then meets in commit order and answers with an incremental snapshot
/// (<see cref="SignalHandler"/>: DBLog watermarks, docs/design.md#invariant-9-repairs-never-beat-the-stream). Written
/// to the database, the request survives a restart of the connector (the slot streams it again until it is confirmed).
/// Used by the Kafka signal channel (a sink's heal of a gap), for tables that join the captured set, and for rows that
/// could not be sent before (docs/design.md#no-silent-loss).
/// </summary>
internal sealed class Resnapshots(CaptureContext context)
{
    /// <summary>Requests an incremental snapshot of <paramref name="tables"/> (<c>schema.table</c>), or of the rows matching <paramref name="filter"/>.</summary>
    /// <param name="reason">Why, for the log and the signal id (<c>cdc-&lt;reason&gt;-...</c>).</param>
    public async Task RequestAsync(IReadOnlyList<string> tables, string reason, string? filter = null, CancellationToken cancellationToken = default)
    {
        if (tables.Count == 0)
        {
            return;
        }

        var data = new Dictionary<string, object> { ["data-collections"] = tables, ["type"] = "incremental" };
        if (filter is not null)
        {
            data["additional-conditions"] = tables.Select(t => new Dictionary<string, string> { ["data-collection"] = t, ["filter"] = filter }).ToList();
        }

        await InsertAsync($"cdc-{reason}-{Guid.NewGuid():N}", "execute-snapshot", JsonSerializer.Serialize(data), cancellationToken);
        foreach (var table in tables)
        {
            context.Metrics.Resnapshots.Add(1, new KeyValuePair<string, object?>("table", table), new KeyValuePair<string, object?>("reason", reason));
        }

        Log.ResnapshotRequested(context.Logger, string.Join(", ", tables), reason);
    }

    /// <summary>Writes a signal row as it came (the Kafka channel forwards what it reads); the stream interprets it.</summary>
    public async Task InsertAsync(string id, string type, string? data, CancellationToken cancellationToken)
    {
        var (schema, table) = context.Setup.SignalTable;
        await using var command = context.Source.CreateCommand($"INSERT INTO {PgIdentifier.Quote(schema, table)} (id, type, data) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id.Length > 42 ? id[..42] : id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)data ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
