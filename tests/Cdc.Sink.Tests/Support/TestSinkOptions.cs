using Cdc.Sink.Configuration;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Support;

/// <summary>Sink options for a test worker: its own group, otherwise the product's defaults.</summary>
internal static class TestSinkOptions
{
    public static SinkOptions For(string store, KafkaFixture kafka, string topic, string groupPrefix = "sink") => new()
    {
        Store = store,
        Kafka =
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = KafkaFixture.UniqueName(groupPrefix),
            Topics = [topic],
        },
    };
}
