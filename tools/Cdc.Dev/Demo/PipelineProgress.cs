using System.Diagnostics;
using Cdc.Capture.Configuration;
using Cdc.Capture.Source;
using Cdc.Common.Kafka;
using Cdc.Common.Postgres;
using Npgsql;

namespace Cdc.Dev.Demo;

/// <summary>
/// How far each stage of a running pipeline has got, read from the stages' own durable records: the replication
/// slot's confirmed LSN on the primary (the source connector confirms only what Kafka acknowledged), the topics' high
/// watermarks, and each store's <c>cdc.offsets</c> (committed with the rows). Caught up means: the connector's initial
/// snapshot is published (a new slot's confirmed LSN is past the primary's before any snapshot record reached Kafka),
/// the slot is past the primary's LSN of the moment we asked, and every store's next offsets have reached the
/// watermarks read after that.
/// </summary>
internal sealed class PipelineProgress : IDisposable
{
    private readonly NpgsqlDataSource _primary;
    private readonly string _slot;
    private readonly IReadOnlyList<string> _topics;
    private readonly TopicWatermarks _watermarks;
    private readonly ReplicationSetup _setup;

    public PipelineProgress(string bootstrapServers, NpgsqlDataSource primary, string slot, string publication, IReadOnlyList<string> topics)
    {
        _primary = primary;
        _slot = slot;
        _setup = new ReplicationSetup(primary, new CaptureOptions { Source = primary.ConnectionString, Slot = slot, Publication = publication }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _topics = topics;
        _watermarks = new TopicWatermarks(bootstrapServers);
    }

    /// <summary>Records on the captured topics (or on <paramref name="topic"/> alone), summed over partitions.</summary>
    public long Produced(string? topic = null) => _watermarks.High(topic is null ? _topics : [topic]).Values.Sum();

    /// <summary>Records a store has applied (or dead-lettered) from the captured topics, by its stored next offsets.</summary>
    public async Task<long> AppliedAsync(NpgsqlDataSource store, string group, CancellationToken ct) =>
        (await StoredOffsetsAsync(store, group, ct)).Values.Sum();

    /// <summary>Waits until every store has applied everything committed on the primary before the call.</summary>
    /// <exception cref="TimeoutException">A stage made no progress for <paramref name="stallLimit"/>.</exception>
    public async Task WaitCaughtUpAsync(IReadOnlyList<(NpgsqlDataSource Store, string Group)> stores, TimeSpan stallLimit, CancellationToken ct)
    {
        await PollAsync("the source connector's initial snapshot", async () => await _setup.SlotAsync(ct) is { SnapshotDone: true }, stallLimit, ct);
        var target = await ScalarAsync<long>("SELECT pg_current_wal_lsn() - '0/0'", ct);
        await PollAsync("the source connector's confirmed position", async () => await ConfirmedAsync(ct) is { } confirmed && confirmed >= target, stallLimit, ct);
        var high = _watermarks.High(_topics);
        foreach (var (store, group) in stores)
        {
            await PollAsync($"the {group} store", async () =>
            {
                var stored = await StoredOffsetsAsync(store, group, ct);
                return high.All(h => h.Value == 0 || (stored.TryGetValue(h.Key, out var next) && next >= h.Value));
            }, stallLimit, ct);
        }
    }

    public void Dispose() => _watermarks.Dispose();

    private async Task<long?> ConfirmedAsync(CancellationToken ct)
    {
        await using var command = _primary.CreateCommand("SELECT confirmed_flush_lsn - '0/0' FROM pg_replication_slots WHERE slot_name = $1");
        command.Parameters.Add(new() { Value = _slot });
        return await command.ExecuteScalarAsync(ct) is decimal value ? (long)value : null;
    }

    private async Task<Dictionary<(string Topic, int Partition), long>> StoredOffsetsAsync(NpgsqlDataSource store, string group, CancellationToken ct)
    {
        var offsets = new Dictionary<(string, int), long>();
        await using var command = store.CreateCommand(
            $"SELECT topic, partition, next_offset FROM {PgIdentifier.Quote("cdc", "offsets")} WHERE consumer_group = $1 AND topic = ANY($2)");
        command.Parameters.Add(new() { Value = group });
        command.Parameters.Add(new() { Value = _topics.ToArray() });
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                offsets[(reader.GetString(0), reader.GetInt32(1))] = reader.GetInt64(2);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The worker has not created its tables yet: nothing applied.
        }

        return offsets;
    }

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken ct)
    {
        await using var command = _primary.CreateCommand(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync(ct))!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task PollAsync(string what, Func<Task<bool>> done, TimeSpan stallLimit, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await done())
        {
            if (Stopwatch.GetElapsedTime(started) > stallLimit)
            {
                throw new TimeoutException($"{what} did not catch up within {stallLimit.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), ct);
        }
    }
}
