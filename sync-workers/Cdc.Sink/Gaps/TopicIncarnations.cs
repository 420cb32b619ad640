using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Cdc.Sink.Gaps;

/// <summary>
/// The id Kafka (and the mock cluster) gives each topic when it is created: the topic's incarnation. Offsets are kept
/// with it, so a topic deleted and created again (a Kafka restarted without its data, a topic recreated by an operator)
/// is told apart from the one whose offsets the store holds (docs/design.md#no-silent-loss). Read on assignment, and
/// compared again while the sink runs (a topic recreated between two fetches).
/// </summary>
public sealed class TopicIncarnations : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);
    private const int MaxAttempts = 3;
    private readonly IAdminClient? _admin;
    private readonly Func<List<string>, DescribeTopicsOptions, Task<DescribeTopicsResult>> _describe;
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);

    public TopicIncarnations(ClientConfig config)
    {
        // Its only requests are small metadata reads, answered in milliseconds. A connection that died in a broker outage
        // with one in flight holds every later read until socket.timeout.ms: 3 s (not the 10 s of the sink's other
        // clients) drops it before the group's rebalance after the outage asks for the ids.
        var admin = new AdminClientBuilder(new AdminClientConfig(config) { SocketTimeoutMs = 3_000 }).SetLogHandler((_, _) => { }).Build();
        _admin = admin;
        _describe = (names, options) => admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(names), options);
    }

    /// <summary>Over a given describe call (tests: one that fails as a broker outage makes it fail).</summary>
    internal TopicIncarnations(Func<List<string>, DescribeTopicsOptions, Task<DescribeTopicsResult>> describe)
    {
        _describe = describe;
    }

    /// <summary>The id last read for <paramref name="topic"/>, or null when it could not be read.</summary>
    public string? Current(string topic) => _ids.TryGetValue(topic, out var id) ? id : null;

    /// <summary>
    /// Reads the ids of <paramref name="topics"/> now and takes them as current (blocking: called inside the rebalance
    /// callback). A read Kafka did not answer (a request timed out on a connection that died in a broker outage, a
    /// retriable error) is tried again within <see cref="Timeout"/>: right after an outage the first read often fails
    /// that way, and an unread id would let the assignment resume a recreated topic at the old offsets.
    /// </summary>
    /// <returns>Null for a topic whose id Kafka did not give (an old broker, the topic gone, no answer within the timeout): it is then not compared.</returns>
    public Dictionary<string, string?> Refresh(IEnumerable<string> topics)
    {
        var started = Stopwatch.GetTimestamp();
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        var pending = topics.Distinct(StringComparer.Ordinal).ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            // The rebalance callback that asks is synchronous, and runs on the consumer's own thread, not a context.
#pragma warning disable VSTHRD002
            var (ids, unanswered) = DescribeAsync(pending, Timeout - Stopwatch.GetElapsedTime(started)).GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
            foreach (var (topic, id) in ids)
            {
                result[topic] = id;
                if (id is not null)
                {
                    _ids[topic] = id;
                }
            }

            pending = unanswered;
            if (attempt == MaxAttempts || Timeout - Stopwatch.GetElapsedTime(started) < RetryPause)
            {
                break;
            }

            if (pending.Count > 0)
            {
                Thread.Sleep(RetryPause);
            }
        }

        return result;
    }

    /// <summary>Takes <paramref name="id"/> as the current incarnation of <paramref name="topic"/>.</summary>
    public void Adopt(string topic, string id) => _ids[topic] = id;

    /// <summary>Reads the ids of <paramref name="topics"/> now, without taking them as current.</summary>
    /// <returns>Null for a topic whose id Kafka did not give (an old broker, a timeout, the topic gone).</returns>
    public async Task<Dictionary<string, string?>> ReadAsync(IEnumerable<string> topics) =>
        (await DescribeAsync(topics.Distinct(StringComparer.Ordinal).ToList(), Timeout).ConfigureAwait(false)).Ids;

    /// <returns>
    /// Each topic's id (null when Kafka gave none), and the topics Kafka did not answer for (the request failed, or a
    /// retriable error): worth asking again, unlike a topic that no longer exists or has no id.
    /// </returns>
    private async Task<(Dictionary<string, string?> Ids, List<string> Unanswered)> DescribeAsync(List<string> names, TimeSpan timeout)
    {
        var result = names.ToDictionary(t => t, _ => (string?)null, StringComparer.Ordinal);
        if (names.Count == 0)
        {
            return (result, []);
        }

        IEnumerable<TopicDescription> descriptions;
        try
        {
            var options = new DescribeTopicsOptions { RequestTimeout = timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMilliseconds(1) };
            descriptions = (await _describe(names, options).ConfigureAwait(false)).TopicDescriptions;
        }
        catch (DescribeTopicsException e)
        {
            descriptions = e.Results.TopicDescriptions;
        }
        catch (KafkaException)
        {
            return (result, names);
        }

        var unanswered = new List<string>();
        foreach (var description in descriptions)
        {
            if (description.Error.IsError)
            {
                if (description.Error.Code != ErrorCode.UnknownTopicOrPart)
                {
                    unanswered.Add(description.Name);
                }
            }
            else if (description.TopicId is not null && description.TopicId.ToString() is var id && id != "AAAAAAAAAAAAAAAAAAAAAA")
            {
                result[description.Name] = id;
            }
        }

        return (result, unanswered);
    }

    public void Dispose() => _admin?.Dispose();
}
