using Cdc.Reconciler.Schema;
using Npgsql;

namespace Cdc.Reconciler.Repair;

/// <summary>
/// The preferred repair (docs/design.md#invariant-9-repairs-never-beat-the-stream): signals the source connector to
/// re-stream the missing and divergent rows through the pipeline, so the sink applies them with its own guard and
/// ordering.
/// </summary>
internal sealed class ResnapshotRepair(NpgsqlDataSource primary, TableName signalTable)
{
    public const string SignalType = "execute-snapshot";

    /// <returns>The signal ids written.</returns>
    public async Task<List<string>> SignalAsync(TablePair pair, IReadOnlyList<Finding> rows, CancellationToken cancellationToken)
    {
        var payloads = SignalFilter.Payloads(new TableName(pair.Primary.Schema, pair.Primary.Table), [.. pair.Keys.Select(k => k.Primary.Name)], rows.Select(f => f.KeyValues));
        var ids = new List<string>();
        await using var connection = await primary.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var data in payloads)
        {
            var id = $"cdc-reconcile-{Guid.NewGuid():N}"[..42];
            await using var command = new NpgsqlCommand($"INSERT INTO {signalTable.Quoted} (id, type, data) VALUES ($1, $2, $3)", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            command.Parameters.Add(new NpgsqlParameter { Value = SignalType });
            command.Parameters.Add(new NpgsqlParameter { Value = data });
            await command.ExecuteNonQueryAsync(cancellationToken);
            ids.Add(id);
        }

        await transaction.CommitAsync(cancellationToken);
        return ids;
    }
}
