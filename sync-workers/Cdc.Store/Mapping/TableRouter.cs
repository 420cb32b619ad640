using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Cdc.Store.Mapping;

/// <summary>Resolves the target table of a topic's events: first matching rule, then defaults.</summary>
public sealed class TableRouter
{
    private readonly StoreOptions _options;
    private readonly (TableMappingOptions Rule, Regex? Pattern)[] _rules;
    private readonly ConcurrentDictionary<(string Topic, string? SourceTable), TableTarget> _cache = new();

    public TableRouter(StoreOptions options)
    {
        _options = options;
        _rules = options.Tables
            .Select(r => (r, r.TopicPattern is null ? null : new Regex($"^(?:{r.TopicPattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))))
            .ToArray();
    }

    /// <summary>Debezium's own side topics (heartbeats, transaction metadata) carry no row changes.</summary>
    public static bool IsSideTopic(string topic) =>
        topic.StartsWith("__debezium-heartbeat", StringComparison.Ordinal)
        || (topic.EndsWith(".transaction", StringComparison.Ordinal) && topic.Count(c => c == '.') == 1);

    public TableTarget Resolve(string topic, string? sourceTable) =>
        _cache.GetOrAdd((topic, sourceTable), key => Build(key.Topic, key.SourceTable));

    private TableTarget Build(string topic, string? sourceTable)
    {
        var rule = _rules.FirstOrDefault(r => r.Pattern?.IsMatch(topic) ?? r.Rule.Topic == topic).Rule;
        var defaults = _options.Defaults;
        var table = rule?.Table ?? defaults.Table ?? sourceTable ?? topic[(topic.LastIndexOf('.') + 1)..];
        return new TableTarget(
            rule?.Schema ?? defaults.Schema ?? _options.TargetSchema,
            table,
            (rule is { Include.Count: > 0 } ? rule.Include : defaults.Include).ToHashSet(StringComparer.Ordinal),
            (rule is { Exclude.Count: > 0 } ? rule.Exclude : defaults.Exclude).ToHashSet(StringComparer.Ordinal),
            rule is { Rename.Count: > 0 } ? rule.Rename : defaults.Rename,
            rule?.DeleteMode ?? defaults.DeleteMode ?? DeleteMode.Hard,
            rule?.Truncate ?? defaults.Truncate ?? TruncateMode.Apply,
            rule?.AutoCreate ?? defaults.AutoCreate ?? true,
            rule?.AutoEvolve ?? defaults.AutoEvolve ?? true);
    }
}
