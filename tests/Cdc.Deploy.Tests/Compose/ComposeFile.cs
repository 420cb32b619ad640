using System.Text.Json.Nodes;
using Cdc.Deploy.Tests.Support;

namespace Cdc.Deploy.Tests.Compose;

/// <summary>docker-compose.yml as docker-compose itself resolves it (anchors merged, paths absolute, every profile on).</summary>
internal sealed class ComposeFile
{
    private ComposeFile(JsonObject services) => Services = services;

    public JsonObject Services { get; }

    public static async Task<ComposeFile> LoadAsync()
    {
        var result = await Tool.SucceedAsync("docker-compose", "-f", "docker-compose.yml", "--profile", "dotnet-capture", "config");
        var document = await Yaml.ParseAsync(result.Stdout, "docker-compose config");
        return new ComposeFile(document["services"]!.AsObject());
    }

    public JsonObject Service(string name) => Services[name]?.AsObject() ?? throw new KeyNotFoundException($"no service {name} in docker-compose.yml");

    public static List<string> Command(JsonObject service, string key = "command") =>
        service[key] is JsonArray array ? [.. array.Select(a => (string)a!)] : [];

    /// <summary>The value after <paramref name="flag"/> in the service's command.</summary>
    public static string? Flag(JsonObject service, string flag)
    {
        var command = Command(service);
        var at = command.IndexOf(flag);
        return at >= 0 && at + 1 < command.Count ? command[at + 1] : null;
    }

    /// <summary>Bind mounts as (host path, container path); named volumes are left out.</summary>
    public static IEnumerable<(string Host, string Container)> Binds(JsonObject service) =>
        (service["volumes"] as JsonArray ?? [])
            .Select(v => ((string)v!).Split(':'))
            .Where(parts => parts[0].StartsWith('/'))
            .Select(parts => (parts[0], parts[1]));

    /// <summary>The repository file a path inside the container comes from, through the service's bind mounts.</summary>
    public static string? HostPathOf(JsonObject service, string containerPath) =>
        Binds(service)
            .Where(b => containerPath == b.Container || containerPath.StartsWith(b.Container + "/", StringComparison.Ordinal))
            .Select(b => b.Host + containerPath[b.Container.Length..])
            .FirstOrDefault();

    public static IEnumerable<(int Published, int Target)> Ports(JsonObject service) =>
        (service["ports"] as JsonArray ?? []).Select(p => ((int)p!["published"]!, (int)p["target"]!));
}
