using Confluent.Kafka;

namespace Cdc.Sink.Planning;

/// <summary>One consumed Kafka record, as the worker hands it to planning.</summary>
internal sealed record SinkRecord(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, Headers? Headers)
{
    public TopicPartition TopicPartition => new(Topic, new Partition(Partition));
}
