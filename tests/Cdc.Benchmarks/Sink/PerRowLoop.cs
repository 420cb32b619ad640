using System.Diagnostics;
using System.Globalization;
using Cdc.Schemas.Connect;
using Cdc.Schemas.Json;
using Cdc.Schemas.Model;
using Confluent.Kafka;
using Npgsql;
using NpgsqlTypes;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// What a naive consumer does: consume, decode with <see cref="DebeziumJsonDecoder"/>, and run one autocommitted
/// <c>INSERT ... ON CONFLICT DO UPDATE</c> (or <c>DELETE</c>) per event, with prepared statements. No version guard,
/// no stored offsets: it is only the per-row cost the sink's set-based apply is measured against.
/// </summary>
public static class PerRowLoop
{
    private const string Upsert = """
        INSERT INTO public.orders (id, status, qty, amount, updated_at, note) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, qty = EXCLUDED.qty, amount = EXCLUDED.amount,
            updated_at = EXCLUDED.updated_at, note = EXCLUDED.note
        """;

    private const string Delete = "DELETE FROM public.orders WHERE id = $1";

    private static readonly ConnectSchema RowSchema = new()
    {
        Type = ConnectType.Struct,
        Fields = OrdersTable.Columns.Select(c => new ConnectField(c.Name, PostgresTypeMapping.SchemaFor(c.PgType))).ToList(),
    };

    /// <summary>Applies the first <paramref name="events"/> events the consumer receives; the clock starts at the first.</summary>
    public static async Task<PerRowResult> RunAsync(string bootstrapServers, ProducedTopic topic, BenchDatabase database, int events, CancellationToken ct)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        await using var upsert = new NpgsqlCommand(Upsert, connection);
        upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
        upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Varchar });
        upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer });
        upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Numeric });
        upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz });
        upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
        await upsert.PrepareAsync(ct);
        await using var delete = new NpgsqlCommand(Delete, connection);
        delete.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
        await delete.PrepareAsync(ct);

        var decoder = new DebeziumJsonDecoder();
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"bench-per-row-{Guid.NewGuid():N}",
            EnableAutoCommit = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 50,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Assign(Enumerable.Range(0, topic.Partitions).Select(p => new TopicPartitionOffset(topic.Name, p, Offset.Beginning)));
        long started = 0;
        var applied = 0;
        var idle = Stopwatch.GetTimestamp();
        while (applied < events)
        {
            ct.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                if (Stopwatch.GetElapsedTime(idle) > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"the per-row consumer received nothing for 60 s after {applied} events");
                }

                continue;
            }

            idle = Stopwatch.GetTimestamp();
            if (started == 0)
            {
                started = Stopwatch.GetTimestamp();
            }

            var change = decoder.Decode(result.Topic, result.Message.Key, result.Message.Value);
            if (change.Event is not { } ev)
            {
                continue;
            }

            if (ev.Operation == ChangeOperation.Delete)
            {
                var key = (ev.Before ?? change.Key)!.WithSchema(RowSchema);
                delete.Parameters[0].Value = Get(key, "id");
                await delete.ExecuteNonQueryAsync(ct);
            }
            else
            {
                var row = ev.After!.WithSchema(RowSchema);
                upsert.Parameters[0].Value = Get(row, "id");
                upsert.Parameters[1].Value = Get(row, "status") ?? DBNull.Value;
                upsert.Parameters[2].Value = Get(row, "qty") ?? DBNull.Value;
                upsert.Parameters[3].Value = Get(row, "amount") is ExactDecimal amount ? decimal.Parse(amount.ToString(), CultureInfo.InvariantCulture) : DBNull.Value;
                upsert.Parameters[4].Value = Get(row, "updated_at") ?? DBNull.Value;
                upsert.Parameters[5].Value = Get(row, "note") ?? DBNull.Value;
                await upsert.ExecuteNonQueryAsync(ct);
            }

            applied++;
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        consumer.Close();
        return new PerRowResult(applied, seconds);
    }

    private static object? Get(RowImage row, string name) =>
        row.TryGet(name, out var column) ? column.Value : throw new InvalidOperationException($"the event has no '{name}' column");
}
