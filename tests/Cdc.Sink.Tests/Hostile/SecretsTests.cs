using System.Text;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;

namespace Cdc.Sink.Tests.Hostile;

/// <summary>
/// Secrets given the way an operator gives them (<c>CDC_*</c> environment of a real <c>cdc sink</c> process): the
/// store password, Kafka SASL/TLS passwords for the consumer and the dead-letter producer (with librdkafka's
/// configuration debug log on), Schema Registry credentials. Every distinctive secret value is searched for in
/// everything the worker shows: its log output, <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>, its dead letters'
/// headers, and the errors of a wrong password, an unreachable broker, a store string broken by a <c>;</c> in
/// the password, a registry URL carrying credentials.
/// </summary>
public sealed class SecretsTests(PostgresFixture postgres, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _tag = Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Run_SecretsFromEnvironment_NeverShown()
    {
        var (role, storePassword) = (DatabaseRoles.UniqueName("sink"), Secret("store"));
        await using var bed = await SinkTestBed.CreateAsync(postgres, kafka, partitions: 1);
        kafka.CreateTopic(bed.Options.DeadLetterTopic, partitions: 1);
        await DatabaseRoles.CreateSinkAsync(bed.Store.ConnectionString, role, storePassword, "public", "cdc");
        try
        {
            bed.Model.Upsert(1, "new");
            bed.Model.Send(DebeziumText.Key(2), Encoding.UTF8.GetBytes("{ poison"));
            bed.Model.Upsert(3, "new");
            bed.Model.Flush();
            var environment = SecretEnvironment();
            environment["CDC_Store"] = DatabaseRoles.LoginAs(bed.Store.ConnectionString, role, storePassword);
            environment["CDC_Kafka__Consumer__debug"] = "conf,security";
            environment["CDC_Kafka__Producer__debug"] = "conf,security";
            var port = FreeTcpPort.Next();
            using var worker = WorkerProcess.Start(
                ["--bootstrap-servers", kafka.BootstrapServers, "--group", bed.Options.Kafka.GroupId, "--topics", bed.Options.Kafka.Topics[0], "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                environment);
            await bed.UntilInSyncAsync(Timeout);
            var deadLetter = Assert.Single(DeadLetters.Read(kafka, bed.Options.DeadLetterTopic, 1, Timeout));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var shown = new StringBuilder()
                .AppendLine(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)))
                .AppendLine(await (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).Content.ReadAsStringAsync())
                .AppendLine(await (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).Content.ReadAsStringAsync());
            foreach (var header in deadLetter.Headers)
            {
                shown.AppendLine(Encoding.UTF8.GetString(header.GetValueBytes()));
            }

            worker.Terminate();
            Assert.True(await worker.WaitForExitAsync(Timeout), "the worker did not stop on SIGTERM");
            shown.AppendLine(worker.Output);

            Assert.Contains("sink started", worker.Output, StringComparison.Ordinal);
            Assert.Contains("cdc_sink_dead_letters_total", shown.ToString(), StringComparison.Ordinal);
            AssertNoSecret(shown.ToString(), storePassword);
        }
        finally
        {
            await DatabaseRoles.DropAsync(role, bed.Store.ConnectionString);
        }
    }

    [Fact]
    public async Task Run_FailingWithSecrets_ErrorsNeverShowThem()
    {
        var (role, storePassword, wrongPassword) = (DatabaseRoles.UniqueName("sink"), Secret("store"), Secret("wrong"));
        var store = await postgres.CreateDatabaseAsync();
        await DatabaseRoles.CreateSinkAsync(store, role, storePassword, "public", "cdc");
        try
        {
            var wrong = WithStore(DatabaseRoles.LoginAs(store, role, wrongPassword));
            var brokenTail = Secret("tail");
            var broken = WithStore($"Host=127.0.0.1;Database=x;Username={role};Password=abc;{brokenTail}");
            var unreachable = WithStore(DatabaseRoles.LoginAs(store, role, storePassword));
            var sasl = WithStore(DatabaseRoles.LoginAs(store, role, storePassword));
            sasl["CDC_Kafka__Consumer__security.protocol"] = "SASL_PLAINTEXT";
            sasl["CDC_Kafka__Consumer__sasl.mechanism"] = "PLAIN";
            sasl["CDC_Kafka__Consumer__sasl.username"] = "sink";
            var registryPassword = Secret("url");
            var registryUrl = WithStore(DatabaseRoles.LoginAs(store, role, storePassword));
            string[] topics = ["--topics", "t", "--group", KafkaFixture.UniqueName("g")];
            // The unreachable runs end at the start deadline: the message after it is what they check.
            string[] nowhere = ["--bootstrap-servers", "127.0.0.1:1", "--start-timeout", "00:00:05"];

            var runs = await Task.WhenAll(
                RunToExitAsync(["--bootstrap-servers", kafka.BootstrapServers, .. topics], wrong, 2),
                RunToExitAsync(["--bootstrap-servers", kafka.BootstrapServers, .. topics], broken, 2),
                RunToExitAsync([.. nowhere, .. topics], unreachable, 2),
                RunToExitAsync([.. nowhere, .. topics], sasl, 2),
                RunToExitAsync(["--bootstrap-servers", kafka.BootstrapServers, "--format", "avro", "--schema-registry", $"http://sink:{registryPassword}@127.0.0.1:1", .. topics], registryUrl, 2));

            Assert.Contains("28P01", runs[0], StringComparison.Ordinal);
            Assert.Contains("not a valid Npgsql connection string", runs[1], StringComparison.Ordinal);
            Assert.Contains("cannot reach Kafka", runs[2], StringComparison.Ordinal);
            Assert.Contains("credentials", runs[4], StringComparison.Ordinal);
            AssertNoSecret(string.Join("\n", runs), storePassword, wrongPassword, brokenTail, registryPassword);
        }
        finally
        {
            await DatabaseRoles.DropAsync(role, store);
        }
    }

    private string Secret(string what) => $"Secret-{what}-{_tag}";

    /// <summary>The Kafka and registry secrets every run carries, as environment variables.</summary>
    private Dictionary<string, string> SecretEnvironment() => new()
    {
        ["CDC_Kafka__Consumer__sasl.username"] = "sink",
        ["CDC_Kafka__Consumer__sasl.password"] = Secret("consumer-sasl"),
        ["CDC_Kafka__Consumer__ssl.key.password"] = Secret("consumer-key"),
        ["CDC_Kafka__Producer__sasl.password"] = Secret("producer-sasl"),
        ["CDC_Kafka__Producer__ssl.key.password"] = Secret("producer-key"),
        ["CDC_SchemaRegistry__schema.registry.basic.auth.user.info"] = "sink:" + Secret("registry"),
    };

    private Dictionary<string, string> WithStore(string store)
    {
        var environment = SecretEnvironment();
        environment["CDC_Store"] = store;
        return environment;
    }

    /// <summary>Runs the worker until it exits with <paramref name="exitCode"/>; returns its output.</summary>
    private static async Task<string> RunToExitAsync(string[] args, Dictionary<string, string> environment, int exitCode)
    {
        using var worker = WorkerProcess.Start(args, environment);
        Assert.True(await worker.WaitForExitAsync(Timeout), "the worker did not exit:\n" + worker.Output);
        Assert.True(worker.ExitCode == exitCode, $"exit code {worker.ExitCode}:\n{worker.Output}");
        return worker.Output;
    }

    private void AssertNoSecret(string shown, params string[] more)
    {
        foreach (var secret in SecretEnvironment().Values.Where(v => v.StartsWith("Secret-", StringComparison.Ordinal)).Concat(more))
        {
            var at = shown.IndexOf(secret, StringComparison.OrdinalIgnoreCase);
            Assert.True(at < 0, $"secret {secret} shown: ...{shown[Math.Max(0, at - 300)..Math.Min(shown.Length, at + 100)]}...");
        }
    }
}
