using System.Diagnostics;
using Cdc.Schemas.Json;
using Cdc.Sink.Configuration;
using Cdc.Sink.Planning;
using Cdc.Sink.Store;
using Cdc.Store.Bookkeeping;
using Cdc.Store.Mapping;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Cdc.Benchmarks.Sink;

/// <summary>
/// Where the sink's time goes: the worker's own stages (<see cref="RecordDecoder"/>, <see cref="PlanPreparer"/>,
/// <see cref="BatchApplier"/>) driven one batch at a time on one connection, each under a stopwatch, over the same
/// events. Not the throughput figure: no lanes run concurrently and nothing overlaps Kafka with the store.
/// </summary>
internal static class SinkStageProfile
{
    /// <param name="eventDecoder">The decoder of the topic's format; null: schemaless JSON (<see cref="DebeziumJsonDecoder"/>).</param>
    public static async Task<StageTimes> RunAsync(
        string bootstrapServers, ProducedTopic topic, BenchDatabase database, int batchSize, ILogger logger, CancellationToken ct, Cdc.Schemas.IChangeEventDecoder? eventDecoder = null)
    {
        var times = new StageTimes();
        var records = Consume(bootstrapServers, topic, times);
        var group = $"bench-profile-{Guid.NewGuid():N}";
        var options = new SinkOptions { Store = database.ConnectionString, Kafka = new KafkaOptions { BootstrapServers = bootstrapServers, GroupId = group, Topics = [topic.Name] } };
        var metadata = new MetadataTables(options.MetadataSchema);
        await metadata.EnsureAsync(database.DataSource, ct);
        var router = new TableRouter(options);
        var decoder = new RecordDecoder(eventDecoder ?? new DebeziumJsonDecoder(), options.MaxRecordBytes);
        var preparer = new PlanPreparer(router, new BatchPlanner(router), new TableCatalog(database.DataSource), new SchemaManager(database.DataSource), logger);
        var applier = new BatchApplier(metadata, group);
        await using var store = new StoreConnection(await database.DataSource.OpenConnectionAsync(ct));
        for (var at = 0; at < records.Count; at += batchSize)
        {
            var batch = records.GetRange(at, Math.Min(batchSize, records.Count - at));
            var a0 = GC.GetTotalAllocatedBytes(precise: true);
            var t0 = Stopwatch.GetTimestamp();
            await decoder.PrepareAsync(batch, ct);
            var decoded = batch.Select(decoder.Decode).ToList();
            var t1 = Stopwatch.GetTimestamp();
            var a1 = GC.GetTotalAllocatedBytes(precise: true);
            var plan = await preparer.PlanAsync(decoded, ct);
            var t2 = Stopwatch.GetTimestamp();
            var a2 = GC.GetTotalAllocatedBytes(precise: true);
            if (plan.Failures.Count > 0)
            {
                throw new InvalidOperationException($"{plan.Failures.Count} records failed to plan: {plan.Failures[0].Error.Message}");
            }

            await applier.ApplyAsync(store, plan, ct);
            var t3 = Stopwatch.GetTimestamp();
            var a3 = GC.GetTotalAllocatedBytes(precise: true);
            times.DecodeBytes += a1 - a0;
            times.PlanBytes += a2 - a1;
            times.ApplyBytes += a3 - a2;
            times.Decode += Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
            times.Plan += Stopwatch.GetElapsedTime(t1, t2).TotalSeconds;
            times.Apply += Stopwatch.GetElapsedTime(t2, t3).TotalSeconds;
            times.Batches++;
        }

        times.Events = records.Count;
        return times;
    }

    /// <summary>Every record of <paramref name="topic"/>, in memory; <see cref="StageTimes.Consume"/> gets the seconds it took.</summary>
    public static List<SinkRecord> Consume(string bootstrapServers, ProducedTopic topic, StageTimes times)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"bench-profile-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            FetchWaitMaxMs = 50,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Assign(Enumerable.Range(0, topic.Partitions).Select(p => new TopicPartitionOffset(topic.Name, p, Offset.Beginning)));
        var records = new List<SinkRecord>((int)topic.Events);
        long started = 0;
        while (records.Count < topic.Events)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new TimeoutException($"profile: nothing consumed for 30 s after {records.Count} records");
            if (started == 0)
            {
                started = Stopwatch.GetTimestamp();
            }

            var m = result.Message;
            records.Add(new SinkRecord(result.Topic, result.Partition.Value, result.Offset.Value, m.Key, m.Value, m.Headers));
        }

        times.Consume = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return records;
    }
}
