namespace Cdc.Sink.Configuration;

public sealed class KafkaOptions
{
    public string? BootstrapServers { get; set; }

    public string GroupId { get; set; } = "cdc-sink";

    /// <summary>Topics to consume (exclusive with <see cref="TopicPattern"/>).</summary>
    public List<string> Topics { get; set; } = [];

    /// <summary>Regex of topics to consume (exclusive with <see cref="Topics"/>).</summary>
    public string? TopicPattern { get; set; }

    /// <summary>
    /// Static membership (<c>group.instance.id</c>): a restarted instance with the same id gets its partitions back at
    /// once, without a rebalance. Unique per instance of the group. librdkafka's mock cluster ignores it.
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>Dead-letter topic; default <c>&lt;GroupId&gt;.dlq</c>.</summary>
    public string? DeadLetterTopic { get; set; }

    /// <summary>Any librdkafka consumer property, passed through as is.</summary>
    public Dictionary<string, string> Consumer { get; set; } = [];

    /// <summary>Any librdkafka producer property for the dead-letter producer, passed through as is.</summary>
    public Dictionary<string, string> Producer { get; set; } = [];
}
