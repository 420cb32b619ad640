using Npgsql;

namespace Cdc.Sink.Store;

/// <summary>
/// A long-lived connection owned by one apply lane, with the temporary staging tables created on it.
/// Staging tables are <c>ON COMMIT DELETE ROWS</c>, so they are created once and reused by every batch.
/// </summary>
internal sealed class StoreConnection(NpgsqlConnection connection) : IAsyncDisposable
{
    private int _nextStage;

    public NpgsqlConnection Connection { get; } = connection;

    /// <summary>Staging table name by table signature (name, columns and types).</summary>
    public Dictionary<string, string> Stages { get; } = new(StringComparer.Ordinal);

    public string NewStageName() => $"cdc_stage_{_nextStage++}";

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
