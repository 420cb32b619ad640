using System.Collections.Concurrent;
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
    private readonly IAdminClient _admin;
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);

    public TopicIncarnations(ClientConfig config)
    {
        _admin = new AdminClientBuilder(new AdminClientConfig(config)).SetLogHandler((_, _) => { }).Build();
    }

    /// <summary>The id last read for <paramref name="topic"/>, or null when it could not be read.</summary>
    public string? Current(string topic) => _ids.TryGetValue(topic, out var id) ? id : null;

    /// <summary>Reads the ids of <paramref name="topics"/> now and takes them as current (blocking: called inside the rebalance callback).</summary>
    /// <returns>Null for a topic whose id Kafka did not give (an old broker, a timeout): it is then not compared.</returns>
    public Dictionary<string, string?> Refresh(IEnumerable<string> topics)
    {
        // The rebalance callback that asks is synchronous, and runs on the consumer's own thread, not a context.
#pragma warning disable VSTHRD002
        var result = ReadAsync(topics).GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
        foreach (var (topic, id) in result)
        {
            if (id is not null)
            {
                _ids[topic] = id;
            }
        }

        return result;
    }

    /// <summary>Takes <paramref name="id"/> as the current incarnation of <paramref name="topic"/>.</summary>
    public void Adopt(string topic, string id) => _ids[topic] = id;

    /// <summary>Reads the ids of <paramref name="topics"/> now, without taking them as current.</summary>
    /// <returns>Null for a topic whose id Kafka did not give (an old broker, a timeout, the topic gone).</returns>
    public async Task<Dictionary<string, string?>> ReadAsync(IEnumerable<string> topics)
    {
        var names = topics.Distinct(StringComparer.Ordinal).ToList();
        var result = names.ToDictionary(t => t, _ => (string?)null, StringComparer.Ordinal);
        if (names.Count == 0)
        {
            return result;
        }

        IEnumerable<TopicDescription> descriptions;
        try
        {
            descriptions = (await _admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(names), new DescribeTopicsOptions { RequestTimeout = Timeout }).ConfigureAwait(false)).TopicDescriptions;
        }
        catch (DescribeTopicsException e)
        {
            descriptions = e.Results.TopicDescriptions;
        }
        catch (KafkaException)
        {
            return result;
        }

        foreach (var description in descriptions.Where(d => !d.Error.IsError && d.TopicId is not null))
        {
            var id = description.TopicId.ToString();
            if (id != "AAAAAAAAAAAAAAAAAAAAAA")
            {
                result[description.Name] = id;
            }
        }

        return result;
    }

    public void Dispose() => _admin.Dispose();
}
