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

    public const string EventConsistency = "event";

    public const string TransactionConsistency = "transaction";

    /// <summary>
    /// <c>event</c> (the default): records are applied as they arrive, partitions concurrently, so a store may show part
    /// of a source transaction for a moment. <c>transaction</c>: all of a source transaction's events for this store are
    /// applied in one store transaction, in commit order (README "Transactions", consistency).
    /// </summary>
    public string Consistency { get; set; } = EventConsistency;

    /// <summary>In <c>transaction</c> consistency, most events held while their transactions are incomplete; past it the largest one is applied in parts.</summary>
    public int MaxBufferedEvents { get; set; } = 100_000;

    /// <summary>In <c>transaction</c> consistency, how long an incomplete transaction is waited for before what arrived of it is applied.</summary>
    public TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsTransactional => string.Equals(Consistency, TransactionConsistency, StringComparison.OrdinalIgnoreCase);

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
