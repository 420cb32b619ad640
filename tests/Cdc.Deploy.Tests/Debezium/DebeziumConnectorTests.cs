using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cdc.Deploy.Tests.Support;
using Cdc.Testing;

namespace Cdc.Deploy.Tests.Debezium;

/// <summary>connectors/debezium: the connector's configuration, its reasons, and register.sh against a fake Connect.</summary>
public sealed class DebeziumConnectorTests
{
    private const string ConfigFile = "connectors/debezium/shop-connector.json";
    private const string Script = "connectors/debezium/register.sh";

    private static JsonObject Config() => JsonNode.Parse(Repository.Read(ConfigFile))!.AsObject();

    [Fact]
    public void Config_ValidJsonOfStringValues_AsConnectTakesIt()
    {
        var config = Config();

        Assert.All(config, p => Assert.Equal(System.Text.Json.JsonValueKind.String, p.Value!.GetValueKind()));
        Assert.Equal("io.debezium.connector.postgresql.PostgresConnector", (string?)config["connector.class"]);
    }

    [Theory]
    [InlineData("plugin.name", "pgoutput")]
    [InlineData("publication.autocreate.mode", "filtered")]
    [InlineData("provide.transaction.metadata", "true")]
    [InlineData("tombstones.on.delete", "true")]
    [InlineData("decimal.handling.mode", "string")]
    [InlineData("interval.handling.mode", "string")]
    [InlineData("time.precision.mode", "adaptive")]
    [InlineData("skipped.operations", "none")]
    [InlineData("signal.data.collection", "cdc.debezium_signal")]
    [InlineData("key.converter", "io.confluent.connect.avro.AvroConverter")]
    [InlineData("value.converter", "io.confluent.connect.avro.AvroConverter")]
    [InlineData("value.converter.replace.null.with.default", "false")]
    [InlineData("value.converter.ignore.default.for.nullables", "true")]
    [InlineData("topic.prefix", "shop")]
    [InlineData("topic.creation.groups", "transaction")]
    [InlineData("topic.creation.transaction.include", "shop\\.transaction")]
    [InlineData("topic.creation.transaction.partitions", "1")]
    public void Config_KeyTheSinkDependsOn_HasTheValueItNeeds(string key, string value) =>
        Assert.Equal(value, (string?)Config()[key]);

    [Fact]
    public void Config_NamedSlotHeartbeatsAndSignalTable_Captured()
    {
        var config = Config();
        var tables = ((string)config["table.include.list"]!).Split(',');

        Assert.False(string.IsNullOrEmpty((string?)config["slot.name"]));
        Assert.NotEqual("debezium", (string?)config["slot.name"]);
        // Each heartbeat's action query is a transaction whose END moves the sinks' watermark on an idle primary:
        // cdc wait returns within about a second only with heartbeats this often.
        Assert.InRange(int.Parse((string)config["heartbeat.interval.ms"]!, System.Globalization.CultureInfo.InvariantCulture), 1, 1000);
        Assert.StartsWith("INSERT INTO cdc.heartbeat ", (string)config["heartbeat.action.query"]!, StringComparison.Ordinal);
        // With a filtered publication, a table outside the include list produces no events: heartbeats could not
        // move the slot and signals would never be seen.
        Assert.Contains("cdc.heartbeat", tables);
        Assert.Contains("cdc.debezium_signal", tables);
        Assert.Contains("public.orders", tables);
        Assert.Equal("http://schema-registry:8081", (string?)config["value.converter.schema.registry.url"]);
        Assert.Equal("http://schema-registry:8081", (string?)config["key.converter.schema.registry.url"]);
    }

    [Theory]
    [InlineData("deploy/sinks/risk.json")]
    [InlineData("deploy/sinks/analytics.json")]
    public void Config_TopicsItWrites_AreTheSinksTopics(string sinkConfig)
    {
        var pattern = (string)JsonNode.Parse(Repository.Read(sinkConfig))!["Kafka"]!["TopicPattern"]!;
        var prefix = (string)Config()["topic.prefix"]!;
        var topics = ((string)Config()["table.include.list"]!).Split(',').Select(t => $"{prefix}.{t}").ToList();

        Assert.Equal([$"{prefix}.public.orders"], topics.Where(t => Regex.IsMatch(t, "^(?:" + pattern + ")$")));
    }

    [Fact]
    public void Readme_ExplainsEveryKey()
    {
        var readme = Repository.Read("connectors/debezium/README.md");

        var unexplained = Config().Select(p => p.Key).Where(key => !Explained(readme, key)).ToList();

        Assert.Empty(unexplained);
    }

    [Fact]
    public async Task Register_FirstRun_CreatesTheConnectorAndWaitsUntilRunning()
    {
        await using var connect = await FakeKafkaConnect.StartAsync();

        var result = await RegisterAsync(connect.Url);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("created connector shop", result.Output, StringComparison.Ordinal);
        Assert.Contains("are RUNNING", result.Output, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(Config(), connect.Configs["shop"]), "Connect received another configuration than the file");
        Assert.True(connect.Requests.Count(r => r == "GET /connectors/shop/status") >= 2, "it did not wait for the task to start");
    }

    [Fact]
    public async Task Register_Rerun_UpdatesInPlaceAndSucceeds()
    {
        await using var connect = await FakeKafkaConnect.StartAsync();
        var first = await RegisterAsync(connect.Url);

        var second = await RegisterAsync(connect.Url);

        Assert.Equal(0, first.ExitCode);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("configuration updated", second.Output, StringComparison.Ordinal);
        Assert.Equal(["shop"], connect.Configs.Keys);
        Assert.Equal(2, connect.Requests.Count(r => r == "PUT /connectors/shop/config"));
    }

    [Fact]
    public async Task Register_TaskFailed_ExitsNonZeroWithTheTasksError()
    {
        await using var connect = await FakeKafkaConnect.StartAsync();
        connect.TaskState = "FAILED";
        connect.FailureTrace = "io.debezium.DebeziumException: FATAL: password authentication failed for user \"debezium\"\n\tat io.debezium.connector.postgresql.PostgresConnectorTask.start";

        var result = await RegisterAsync(connect.Url);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("connector shop FAILED", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("are RUNNING", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_ConfigRefused_ExitsNonZeroWithConnectsMessage()
    {
        await using var connect = await FakeKafkaConnect.StartAsync();
        var config = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}-connector.json");
        await File.WriteAllTextAsync(config, """{"tasks.max":"1"}""");
        try
        {
            var result = await RegisterAsync(connect.Url, config);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("refused the configuration", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("contains no connector type", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Register_ConnectUnreachable_ExitsNonZeroSayingSo()
    {
        var url = $"http://127.0.0.1:{FreeTcpPort.Next()}";

        var result = await RegisterAsync(url, timeoutSeconds: 1);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Kafka Connect at {url} is unreachable", result.Stderr, StringComparison.Ordinal);
    }

    private static bool Explained(string readme, string key) =>
        readme.Contains($"`{key}`", StringComparison.Ordinal)
        || readme.Split('\n').Any(line => line.StartsWith('|') && line.Split('|')[1].Split(',').Select(k => k.Trim().Trim('`')).Any(k => Covers(k, key)));

    /// <summary>A README key such as <c>database.*</c> or <c>*.converter.ignore.default.for.nullables</c> covers several.</summary>
    private static bool Covers(string pattern, string key) =>
        pattern.Contains('*', StringComparison.Ordinal) && Regex.IsMatch(key, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$");

    private static Task<Tool.Result> RegisterAsync(string url, string? config = null, int timeoutSeconds = 20) =>
        Tool.RunAsync(
            "/bin/bash",
            [Repository.PathOf(Script), .. config is null ? Array.Empty<string>() : [config]],
            environment: new Dictionary<string, string> { ["CONNECT_URL"] = url, ["REGISTER_TIMEOUT"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}
