using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cdc.Capture;
using Cdc.Deploy.Tests.Support;
using Cdc.Reconciler;
using Cdc.Sink;
using Cdc.Sink.Configuration;

namespace Cdc.Deploy.Tests.Compose;

/// <summary>
/// docker-compose.yml, validated by Debian's docker-compose (no engine runs here), and everything it points at:
/// build contexts, mounted files, commands and flags of our own image, ports against the configs and Prometheus.
/// </summary>
public sealed partial class ComposeStackTests
{
    private const string OurImage = "cdc:local";

    private static readonly string[] ExpectedServices =
    [
        "primary", "kafka", "schema-registry", "connect", "register-connector", "capture", "store-risk", "store-analytics",
        "sink-risk", "sink-analytics", "reconciler-risk", "reconciler-analytics", "postgres-exporter", "prometheus", "alertmanager", "grafana",
    ];

    [Fact]
    public async Task Config_DockerCompose_Valid()
    {
        await Tool.SucceedAsync("docker-compose", "-f", "docker-compose.yml", "config", "-q");
        await Tool.SucceedAsync("docker-compose", "-f", "docker-compose.yml", "--profile", "dotnet-capture", "config", "-q");
    }

    [Fact]
    public async Task Services_TheWholeStack()
    {
        var compose = await ComposeFile.LoadAsync();

        Assert.Equal(ExpectedServices.Order(StringComparer.Ordinal), compose.Services.Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.Contains("wal_level=logical", ComposeFile.Command(compose.Service("primary")));
        Assert.Equal("broker,controller", (string?)compose.Service("kafka")["environment"]!["KAFKA_PROCESS_ROLES"]);
    }

    [Fact]
    public async Task Images_PinnedToAVersion()
    {
        var compose = await ComposeFile.LoadAsync();
        var external = compose.Services.Select(s => s.Value!.AsObject()).Where(s => s["build"] is null).Select(s => (string)s["image"]!);
        var dockerfiles = Directory.EnumerateFiles(Repository.PathOf("deploy"), "Dockerfile", SearchOption.AllDirectories)
            .SelectMany(f => File.ReadLines(f).Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]));

        foreach (var image in external.Concat(dockerfiles))
        {
            Assert.Matches(PinnedTag(), image);
        }
    }

    [Fact]
    public async Task Mounts_EveryBoundFileOrFolderExistsInTheRepository()
    {
        var compose = await ComposeFile.LoadAsync();

        foreach (var (name, service) in compose.Services)
        {
            foreach (var (host, _) in ComposeFile.Binds(service!.AsObject()))
            {
                Assert.True(host.StartsWith(Repository.Root + "/", StringComparison.Ordinal), $"{name} mounts {host} from outside the repository");
                Assert.True(File.Exists(host) || Directory.Exists(host), $"{name} mounts {host}, which does not exist");
            }

            if (service!["build"] is JsonObject build)
            {
                var context = (string)build["context"]!;
                Assert.True(Directory.Exists(context), $"{name}: build context {context} missing");
                Assert.True(File.Exists(Path.Combine(context, (string?)build["dockerfile"] ?? "Dockerfile")), $"{name}: Dockerfile missing");
            }
        }
    }

    /// <summary>
    /// Each service of our image runs a product subcommand whose arguments that command accepts: loaded through the
    /// command's own definition (flags, values, validation; no connection made), with the files it reads mounted
    /// from the repository.
    /// </summary>
    [Fact]
    public async Task Commands_OfOurImage_AreCdcSubcommandsTheirCommandAccepts()
    {
        var compose = await ComposeFile.LoadAsync();
        var dispatch = Repository.Read("cli/Cdc.Cli/Commands.cs");
        var ours = compose.Services.Where(s => (string?)s.Value!["image"] == OurImage).ToList();

        Assert.Equal(5, ours.Count); // two sinks, two reconcilers, the .NET connector
        foreach (var (name, service) in ours)
        {
            var command = ComposeFile.Command(service!.AsObject());
            Assert.Contains($"[\"{command[0]}\"] =", dispatch, StringComparison.Ordinal);
            foreach (var file in command.Where(a => a.StartsWith("/etc/", StringComparison.Ordinal)))
            {
                var host = ComposeFile.HostPathOf(service.AsObject(), file);
                Assert.True(host is not null && File.Exists(host), $"{name} reads {file}, which no mount provides from the repository");
            }

            var args = command.Skip(1).Select(a => a.StartsWith("/etc/", StringComparison.Ordinal) ? ComposeFile.HostPathOf(service.AsObject(), a)! : a).ToList();
            var error = Record.Exception(() => Load(command[0], args));
            Assert.True(error is null, $"{name}: cdc {string.Join(' ', command)}: {error?.Message}");
        }
    }

    private static object Load(string subcommand, IReadOnlyList<string> args) => subcommand switch
    {
        "sink" => SinkHost.Command.Load(args),
        "capture" => CaptureHost.Command.Load(args),
        "reconcile" => ReconcileCommand.Command.Load(args),
        _ => throw new InvalidOperationException($"no product command {subcommand}"),
    };

    [Theory]
    [InlineData("sink-risk", "risk")]
    [InlineData("sink-analytics", "analytics")]
    public async Task Sinks_ConfigLoadsAndMatchesTheirServiceAndStore(string serviceName, string subsystem)
    {
        var compose = await ComposeFile.LoadAsync();
        var service = compose.Service(serviceName);
        var configPath = ComposeFile.HostPathOf(service, ComposeFile.Flag(service, "--config")!)!;

        var options = SinkConfiguration.Load(["--config", configPath]);

        Assert.Equal(subsystem, options.Kafka.GroupId);
        Assert.True(options.IsAvro, "the compose stack's Debezium writes Avro");
        Assert.Equal("kafka:9092", options.Kafka.BootstrapServers);
        Assert.Equal("http://schema-registry:8081", options.SchemaRegistry[Cdc.Schemas.Registry.SchemaRegistrySettings.Url]);
        var store = new Npgsql.NpgsqlConnectionStringBuilder(options.Store);
        Assert.Equal($"store-{subsystem}", store.Host);
        Assert.Equal(subsystem, (string?)compose.Service(store.Host!)["environment"]!["POSTGRES_DB"]);
        Assert.Contains(ComposeFile.Ports(service), p => p.Target == options.MetricsPort);
    }

    [Fact]
    public async Task Prometheus_ScrapesEachServiceOnThePortItServes()
    {
        var compose = await ComposeFile.LoadAsync();
        var config = await Yaml.LoadAsync("deploy/prometheus/prometheus.yml");
        var targets = config["scrape_configs"]!.AsArray()
            .Where(j => ((string)j!["job_name"]!).StartsWith("cdc-", StringComparison.Ordinal))
            .SelectMany(j => j!["static_configs"]?.AsArray() ?? [])
            .SelectMany(c => c!["targets"]!.AsArray().Select(t => (string)t!))
            .Append(CaptureTargetFromItsComment())
            .ToList();

        Assert.Equal(6, targets.Count); // two sinks, two reconcilers, the .NET connector, postgres_exporter
        foreach (var target in targets)
        {
            var (host, port) = (target.Split(':')[0], int.Parse(target.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
            var service = compose.Service(host);
            var served = ComposeFile.Flag(service, "--metrics-port") is { } flag ? int.Parse(flag, System.Globalization.CultureInfo.InvariantCulture)
                : ComposeFile.Command(service).FirstOrDefault(a => a.StartsWith("--web.listen-address=:", StringComparison.Ordinal)) is { } listen
                    ? int.Parse(listen["--web.listen-address=:".Length..], System.Globalization.CultureInfo.InvariantCulture)
                : SinkConfiguration.Load(["--config", ComposeFile.HostPathOf(service, ComposeFile.Flag(service, "--config")!)!]).MetricsPort;
            Assert.Equal(served, port);
        }

        var prometheus = compose.Service("prometheus");
        var configFile = ComposeFile.Command(prometheus).Single(a => a.StartsWith("--config.file=", StringComparison.Ordinal))["--config.file=".Length..];
        Assert.Equal(Repository.PathOf("deploy/prometheus/prometheus.yml"), ComposeFile.HostPathOf(prometheus, configFile));
        var alertmanager = compose.Service("alertmanager");
        var amConfig = ComposeFile.Command(alertmanager).Single(a => a.StartsWith("--config.file=", StringComparison.Ordinal))["--config.file=".Length..];
        Assert.Equal(Repository.PathOf("deploy/alertmanager/alertmanager.yml"), ComposeFile.HostPathOf(alertmanager, amConfig));
    }

    /// <summary>
    /// The exporter compose runs is the version the slot test runs (Debian's 0.11.1: metric names and the custom
    /// queries flag change in later releases), with the repository's queries file and a least-privilege role.
    /// </summary>
    [Fact]
    public async Task PostgresExporter_PinnedToTheTestedVersion_WithTheQueriesFile()
    {
        var compose = await ComposeFile.LoadAsync();
        var exporter = compose.Service("postgres-exporter");
        var tested = await Tool.SucceedAsync("prometheus-postgres-exporter", "--version");

        var version = System.Text.RegularExpressions.Regex.Match(tested.Output, @"version (\d+\.\d+\.\d+)").Groups[1].Value;
        Assert.Equal("0.11.1", version);
        Assert.EndsWith($":v{version}", (string)exporter["image"]!, StringComparison.Ordinal);
        var queries = ComposeFile.Command(exporter).Single(a => a.StartsWith("--extend.query-path=", StringComparison.Ordinal))["--extend.query-path=".Length..];
        Assert.Equal(Repository.PathOf("deploy/postgres-exporter/queries.yml"), ComposeFile.HostPathOf(exporter, queries));
        Assert.StartsWith("postgresql://exporter:", (string)exporter["environment"]!["DATA_SOURCE_NAME"]!, StringComparison.Ordinal);
        Assert.Contains("CREATE ROLE exporter LOGIN PASSWORD 'exporter' IN ROLE pg_monitor;", Repository.Read("deploy/postgres/init/01-shop.sql"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterJob_RunsTheRepositorysScriptWithTheConnectorConfig()
    {
        var compose = await ComposeFile.LoadAsync();
        var job = compose.Service("register-connector");
        var entrypoint = ComposeFile.Command(job, "entrypoint");

        Assert.Equal("bash", entrypoint[0]);
        Assert.Equal(Repository.PathOf("connectors/debezium/register.sh"), ComposeFile.HostPathOf(job, entrypoint[1]));
        Assert.Equal(Repository.PathOf("connectors/debezium/shop-connector.json"), ComposeFile.HostPathOf(job, entrypoint[2]));
        Assert.Equal("no", (string?)job["restart"]);
        Assert.Equal("http://connect:8083", (string?)job["environment"]!["CONNECT_URL"]);
        Assert.Equal("debezium", (string?)compose.Service("connect")["environment"]!["CDC_DEBEZIUM_PASSWORD"]);
    }

    [Fact]
    public void Dockerfile_CopiesEveryProjectTheCliNeeds_AndRunsCdcDll()
    {
        var dockerfile = Repository.Read("deploy/Dockerfile");
        var copied = CsprojCopy().Matches(dockerfile).Select(m => m.Groups[1].Value).ToHashSet();

        var needed = ProjectClosure("cli/Cdc.Cli/Cdc.Cli.csproj");

        Assert.Empty(needed.Except(copied));
        Assert.All(copied, p => Assert.True(File.Exists(Repository.PathOf(p)), $"{p} is copied but does not exist"));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"cdc.dll\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains("<AssemblyName>cdc</AssemblyName>", Repository.Read("cli/Cdc.Cli/Cdc.Cli.csproj"), StringComparison.Ordinal);
    }

    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(Repository.PathOf(next))!;
            foreach (Match reference in ProjectReference().Matches(Repository.Read(next)))
            {
                pending.Push(Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(folder, reference.Groups[1].Value))));
            }
        }

        return seen;
    }

    private static string CaptureTargetFromItsComment()
    {
        var line = File.ReadLines(Repository.PathOf("deploy/prometheus/targets/capture.yml")).Single(l => l.Contains("targets:", StringComparison.Ordinal));
        return line.Split('"')[1];
    }

    [GeneratedRegex(@"^[a-z0-9./_-]+:[a-zA-Z]?[0-9]+(\.[0-9]+)+[A-Za-z0-9.+-]*$")]
    private static partial Regex PinnedTag();

    [GeneratedRegex(@"^COPY (\S+\.csproj) ", RegexOptions.Multiline)]
    private static partial Regex CsprojCopy();

    [GeneratedRegex("<ProjectReference Include=\"([^\"]+)\"")]
    private static partial Regex ProjectReference();
}
