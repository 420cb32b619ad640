using System.Text.RegularExpressions;

namespace Cdc.Sink.Configuration;

/// <summary>How the sink tracks source transactions (Debezium's transaction metadata; README "Transactions").</summary>
public sealed class TransactionOptions
{
    /// <summary>Track transactions; off ignores the transaction topic.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The transaction topic; default <c>&lt;prefix&gt;.transaction</c>, the prefix taken from the first topic (or the pattern's literal start).</summary>
    public string? Topic { get; set; }

    /// <summary>A transaction finished here later than this after its commit counts as over the SLA.</summary>
    public TimeSpan Sla { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Finished transactions are kept this long in the store, then forgotten.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The transaction topic for <paramref name="kafka"/>, or null when no prefix can be told.</summary>
    public string? TopicFor(KafkaOptions kafka)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        if (Topic is { Length: > 0 } topic)
        {
            return topic;
        }

        var first = kafka.Topics.FirstOrDefault() ?? kafka.TopicPattern?.TrimStart('^');
        var prefix = first is null ? null : new string(first.TakeWhile(c => c is not ('.' or '\\' or '(' or '[' or '*' or '+' or '?' or '|' or '$')).ToArray());
        return string.IsNullOrEmpty(prefix) ? null : $"{prefix}.transaction";
    }

    /// <summary>Whether the sink consumes <paramref name="topic"/> (a table's topic named in an END's counts).</summary>
    public static bool Consumes(KafkaOptions kafka, string topic)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        return kafka.TopicPattern is { } pattern
            ? Regex.IsMatch(topic, $"^(?:{pattern.TrimStart('^')})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            : kafka.Topics.Contains(topic);
    }
}
