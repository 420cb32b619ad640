using System.Text.Json.Nodes;

namespace Cdc.Deploy.Tests.Support;

/// <summary>
/// Reads YAML as JSON through Debian's python3-yaml (a dependency of the docker-compose package that
/// scripts/prometheus.sh installs): this machine's NuGet copy offers no YAML parser the build already uses.
/// </summary>
internal static class Yaml
{
    private const string Python = "/usr/bin/python3";
    private const string ToJson = "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)";

    public static Task<JsonNode> LoadAsync(string relativePath) => ParseAsync(Repository.Read(relativePath), relativePath);

    /// <param name="what">Names the text in a failure.</param>
    public static async Task<JsonNode> ParseAsync(string yaml, string what)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: run scripts/prometheus.sh (installs docker-compose and python3-yaml)");
        var result = await Tool.RunAsync(Python, ["-c", ToJson], stdin: yaml);
        Assert.True(result.ExitCode == 0, $"{what} is not valid YAML:\n{result.Output}");
        return JsonNode.Parse(result.Stdout) ?? throw new InvalidDataException($"{what} is empty");
    }
}
