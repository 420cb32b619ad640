using System.Text.Json.Nodes;

namespace Cdc.Deploy.Tests.Support;

/// <summary>deploy/postgres-exporter/queries.yml: the series postgres_exporter makes of it (<c>namespace_column</c>).</summary>
internal static class ExporterQueries
{
    public const string File = "deploy/postgres-exporter/queries.yml";

    /// <summary>Every gauge or counter the file defines, as Prometheus will name it.</summary>
    public static async Task<List<string>> MetricsAsync()
    {
        var queries = (await Yaml.LoadAsync(File)).AsObject();
        return
        [
            .. queries.SelectMany(q => q.Value!["metrics"]!.AsArray()
                .Select(m => m!.AsObject().Single())
                .Where(m => (string?)m.Value!["usage"] is "GAUGE" or "COUNTER")
                .Select(m => $"{q.Key}_{m.Key}")),
        ];
    }
}
