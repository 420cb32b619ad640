using Cdc.Schemas.Json;
using Cdc.Testing;
using Confluent.Kafka;

namespace Cdc.Capture.Tests.Support;

/// <summary>Reads whole topics from the beginning (all partitions assigned, no group), decoding every record.</summary>
internal sealed class TopicReader : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly DebeziumJsonDecoder _decoder = new();
    private readonly List<CapturedRecord> _records = [];

    public TopicReader(KafkaFixture kafka, IEnumerable<string> topics, int partitions)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(kafka.ConsumerConfig()).Build();
        _consumer.Assign(topics.SelectMany(t => Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(t, p, Offset.Beginning))));
    }

    public IReadOnlyList<CapturedRecord> Records => _records;

    /// <summary>Reads until <paramref name="done"/> holds for everything read so far; fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<CapturedRecord>> ReadUntilAsync(Func<IReadOnlyList<CapturedRecord>, bool> done, TimeSpan timeout, string what)
    {
        await Wait.UntilAsync(
            () =>
            {
                // A bounded read between checks, so the deadline is checked even while records keep coming.
                Drain(TimeSpan.FromSeconds(1));
                return Task.FromResult(done(_records));
            },
            timeout,
            what);
        return _records;
    }

    /// <summary>Reads for a while more and returns everything (to prove nothing extra arrives).</summary>
    public async Task<IReadOnlyList<CapturedRecord>> SettleAsync(TimeSpan quiet)
    {
        await Task.Delay(quiet);
        Drain(Timeout.InfiniteTimeSpan);
        return _records;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }

    /// <summary>Reads what is there, for at most <paramref name="budget"/>.</summary>
    private void Drain(TimeSpan budget)
    {
        var started = TimeProvider.System.GetTimestamp();
        while ((budget == Timeout.InfiniteTimeSpan || TimeProvider.System.GetElapsedTime(started) < budget)
            && _consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
        {
            if (result.IsPartitionEOF)
            {
                continue;
            }

            var m = result.Message;
            _records.Add(new CapturedRecord(result.Topic, result.Partition.Value, result.Offset.Value, m.Key, m.Value, _decoder.Decode(result.Topic, m.Key, m.Value)));
        }
    }
}
