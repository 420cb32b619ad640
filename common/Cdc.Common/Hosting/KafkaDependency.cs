namespace Cdc.Common.Hosting;

/// <summary>The Kafka cluster the command talks to, with the client's security properties (<c>security.*</c>, <c>sasl.*</c>, <c>ssl.*</c>).</summary>
public sealed record KafkaDependency(string What, string BootstrapServers, IReadOnlyDictionary<string, string> ClientProperties) : Dependency(What)
{
    /// <summary>The properties of <paramref name="client"/> a metadata request needs to get in.</summary>
    public static IReadOnlyDictionary<string, string> SecurityOf(IReadOnlyDictionary<string, string> client) =>
        client.Where(p => p.Key.StartsWith("security.", StringComparison.Ordinal) || p.Key.StartsWith("sasl.", StringComparison.Ordinal) || p.Key.StartsWith("ssl.", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value);
}
