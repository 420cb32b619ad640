namespace Cdc.Sink.DeadLetters;

/// <summary>What <c>cdc replay</c> is told: which dead letters to send back, from where, to where.</summary>
public sealed class ReplayOptions
{
    /// <summary>Kafka bootstrap servers.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>The dead-letter topic (a sink's <c>&lt;group&gt;.dlq</c>).</summary>
    public string? DeadLetterTopic { get; set; }

    /// <summary>The dead letters to replay, <c>partition:offset</c> each, in that order.</summary>
    public List<string> Offsets { get; set; } = [];

    /// <summary>Where to send them; null: each back to the topic and partition it came from (its <c>__connect.errors.*</c> headers).</summary>
    public string? ToTopic { get; set; }

    /// <summary>librdkafka properties for the consumer that reads the dead letters (security.*, sasl.*, ssl.*, ...).</summary>
    public Dictionary<string, string> Consumer { get; set; } = [];

    /// <summary>librdkafka properties for the producer that replays them.</summary>
    public Dictionary<string, string> Producer { get; set; } = [];
}
