using System.Text.Json;
using Cdc.Sink.Tests.Support;
using Cdc.Testing;
using Confluent.Kafka;
using Npgsql;

namespace Cdc.Sink.Tests.Worker;

/// <summary>
/// The README's dead-letter guide, command for command, as an operator runs it: <c>./cdc kafka</c>, a store and
/// <c>./cdc sink</c> as processes, two records the store refuses (a status longer than its varchar(20): TASK_PUT,
/// 22001) dead-lettered; then the guide's kcat commands read them with their headers, the cause is fixed (the column
/// widened), one is replayed with kcat and one with <c>./cdc replay</c>, and both end up in the store. Every command
/// run here is checked to be in the README verbatim.
/// </summary>
public sealed class DeadLetterGuideTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    public const string Read = "kcat -C -b \"$B\" -t risk.dlq -o beginning -e -q -f 'dead letter %p:%o, key %k\\n%h\\n\\n'";
    public const string ReadJson = "kcat -C -b \"$B\" -t risk.dlq -p 0 -o 0 -c 1 -e -q -J";
    public const string ReplayWithKcat = "kcat -C -b \"$B\" -t risk.dlq -p 0 -o 0 -c 1 -e -q -f '%k\\t%s\\n' | kcat -P -b \"$B\" -t shop.public.orders -p 0 -K '\\t'";
    public const string ReplayWithCdc = "./cdc replay --bootstrap-servers \"$B\" --dead-letter-topic risk.dlq --offsets 0:1";
    public const string Fix = "ALTER TABLE orders ALTER COLUMN status TYPE text";
    public const string StartKafka = "./cdc kafka --topics shop.public.orders,risk.dlq --partitions 1";
    public const string StartSink = "./cdc sink --bootstrap-servers \"$B\" --group risk --topics shop.public.orders --store \"$STORE\"";

    private const string Long = "cancelled by the customer, twice";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_readme_guide_reads_dead_letters_with_their_headers_and_replays_them_after_the_fix()
    {
        ShellCommand.Require("kcat", "scripts/tools.sh");
        var readme = await File.ReadAllTextAsync(Path.Combine(Cdc.DevKit.BuiltCommands.RepositoryRoot, "README.md"));
        Assert.All(new[] { Read, ReadJson, ReplayWithKcat, ReplayWithCdc, Fix, StartKafka, StartSink }, c => Assert.Contains(c, readme, StringComparison.Ordinal));

        using var kafka = CliProcess.Start(["kafka", "--topics", "shop.public.orders,risk.dlq", "--partitions", "1"]);
        var bootstrap = await FirstLineAsync(kafka);
        await using var store = await StoreHarness.CreateAsync(await postgres.CreateDatabaseAsync());
        await store.ExecuteAsync(OrdersModel.CreateTable);
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All }).Build())
        {
            foreach (var (id, status) in new[] { (1L, "new"), (2L, Long), (3L, Long) })
            {
                await producer.ProduceAsync("shop.public.orders", new Message<byte[], byte[]> { Key = DebeziumText.Key(id), Value = DebeziumText.Change('c', id, id, status) });
            }
        }

        var environment = new Dictionary<string, string> { ["B"] = bootstrap, ["STORE"] = store.ConnectionString, ["CDC_NO_BUILD"] = "1" };
        using var sink = CliProcess.Start(["sink", "--bootstrap-servers", bootstrap, "--group", "risk", "--topics", "shop.public.orders", "--store", store.ConnectionString]);
        await Wait.UntilAsync(async () => (await store.RowsAsync("SELECT id FROM orders")).SequenceEqual(["1"]) && DeadLetterCount(bootstrap) == 2, Timeout, "order 1 applied and two dead letters:\n" + sink.Output);

        var read = await ShellCommand.RunAsync(Read, environment);
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Contains("dead letter 0:0, key {\"id\":2}", read.Stdout, StringComparison.Ordinal);
        Assert.Contains("dead letter 0:1, key {\"id\":3}", read.Stdout, StringComparison.Ordinal);
        Assert.Contains("__connect.errors.topic=shop.public.orders", read.Stdout, StringComparison.Ordinal);
        Assert.Contains("__connect.errors.stage=TASK_PUT", read.Stdout, StringComparison.Ordinal);
        Assert.Contains("22001", read.Stdout, StringComparison.Ordinal);

        var json = await ShellCommand.RunAsync(ReadJson, environment);
        Assert.True(json.ExitCode == 0, json.ToString());
        using (var document = JsonDocument.Parse(json.Stdout))
        {
            var headers = document.RootElement.GetProperty("headers").EnumerateArray().Select(h => h.GetString()).ToList();
            Assert.Equal("1", headers[headers.IndexOf("__connect.errors.offset") + 1]);
            Assert.Equal("0", headers[headers.IndexOf("__connect.errors.partition") + 1]);
            Assert.Contains(Long, document.RootElement.GetProperty("payload").GetString(), StringComparison.Ordinal);
        }

        await store.ExecuteAsync(Fix);
        var kcatReplay = await ShellCommand.RunAsync(ReplayWithKcat, environment);
        Assert.True(kcatReplay.ExitCode == 0, kcatReplay.ToString());
        await Wait.UntilAsync(async () => (await store.RowsAsync("SELECT id, status FROM orders ORDER BY id")).Contains($"2|{Long}"), Timeout, "order 2 replayed with kcat:\n" + sink.Output);

        var cdcReplay = await ShellCommand.RunAsync(ReplayWithCdc, environment);
        Assert.True(cdcReplay.ExitCode == 0, cdcReplay.ToString());
        Assert.Equal("replayed risk.dlq[0]@1 (shop.public.orders[0]@2, TASK_PUT) to shop.public.orders[0]@4", cdcReplay.Stdout.Trim());
        await Wait.UntilAsync(async () => (await store.RowsAsync("SELECT id, status FROM orders ORDER BY id")).SequenceEqual(["1|new", $"2|{Long}", $"3|{Long}"]), Timeout, "order 3 replayed with cdc replay:\n" + sink.Output);
        Assert.Equal(2, DeadLetterCount(bootstrap));
    }

    /// <summary><c>cdc replay</c> refuses an offset the dead-letter topic does not hold, with one line and exit code 2, replaying nothing.</summary>
    [Fact]
    public async Task Replay_of_an_offset_that_is_not_there_is_refused_with_one_line()
    {
        using var kafka = CliProcess.Start(["kafka", "--topics", "shop.public.orders,risk.dlq", "--partitions", "1"]);
        var bootstrap = await FirstLineAsync(kafka);

        var result = await CliProcess.RunAsync(["replay", "--bootstrap-servers", bootstrap, "--dead-letter-topic", "risk.dlq", "--offsets", "0:5"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("cdc replay: risk.dlq[0] holds offsets 0 to -1: no dead letter at 5", result.Stderr.Trim());
    }

    private static async Task<string> FirstLineAsync(CliProcess process)
    {
        await Wait.UntilAsync(() => Task.FromResult(process.Output.Contains('\n', StringComparison.Ordinal)), Timeout, "cdc kafka's bootstrap line");
        return process.Output.Split('\n')[0].Trim();
    }

    private static long DeadLetterCount(string bootstrap)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "count" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition("risk.dlq", 0), TimeSpan.FromSeconds(10)).High.Value;
    }
}
