using System.Globalization;
using System.Text;
using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.Sink.Worker;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace Cdc.Sink.DeadLetters;

/// <summary>
/// <c>cdc replay</c>: sends dead letters back to the topic and partition they came from, once their cause is fixed,
/// byte for byte: the original key, value and headers (without the <c>__connect.errors.*</c> context), so that it
/// works for Avro's binary records as for JSON. The sink then applies each like any change: its version guard keeps
/// a late, older change from overwriting a newer row (docs/design.md#invariant-4-newer-always-wins).
/// </summary>
public static class ReplayCommand
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    public static readonly IReadOnlyList<CommandFlag> Flags =
    [
        new("--bootstrap-servers", "BootstrapServers", "LIST", "Kafka, host:port[,host:port]") { Required = true },
        new("--dead-letter-topic", "DeadLetterTopic", "TOPIC", "the sink's dead-letter topic (<group>.dlq)") { Required = true },
        new("--offsets", "OffsetList", "P:O,P:O", "the dead letters to replay, by partition and offset in the dead-letter topic (kcat shows them)") { Required = true },
        new("--to-topic", "ToTopic", "TOPIC", "send them here instead") { Default = "each back to the topic and partition it came from" },
    ];

    public static CommandDefinition<ReplayOptions> Command { get; } = new()
    {
        Name = "cdc replay",
        Summary = """
            Sends dead letters back to the topic and partition they came from, once their cause is fixed: each one's
            original key, value and headers, byte for byte (Avro as JSON), without the __connect.errors.* context.
            The sink applies them like any change; its version guard skips one a newer change has overtaken.
            """,
        Flags = Flags,
        Notes = "Reading dead letters, fixing their cause, replaying them with kcat or this command: README.md, \"Dead letters\".",
        ExitCodes = """
            0 every dead letter named was replayed; 1 an unexpected failure; 2 the operator's to fix: bad configuration,
            an offset the dead-letter topic does not hold, a record that is not a dead letter or whose value was too
            large to park, Kafka unreachable.
            """,
        Bind = Bind,
        Validate = Validate,
        Dependencies = options => [new KafkaDependency("Kafka", options.BootstrapServers!, KafkaDependency.SecurityOf(options.Consumer))],
        Run = (context, stopping) => RunAsync(context.Options, context.Console.Out, stopping),
        LogCategory = "cdc.replay",
    };

    public static Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stopping) =>
        CommandHost.RunAsync(Command, args, CommandConsole.System, stopping);

    private static void Bind(IConfiguration configuration, ReplayOptions options)
    {
        HostConfiguration.BindInto(configuration, options);
        options.Offsets = HostConfiguration.CommaList(configuration, "OffsetList") ?? options.Offsets;
    }

    private static void Validate(ReplayOptions options)
    {
        Check(!string.IsNullOrWhiteSpace(options.BootstrapServers), "no Kafka: pass --bootstrap-servers host:port[,host:port]");
        Check(!string.IsNullOrWhiteSpace(options.DeadLetterTopic), "no dead-letter topic: pass --dead-letter-topic <group>.dlq");
        Check(options.Offsets.Count > 0, "no dead letters named: pass --offsets partition:offset[,partition:offset...]");
        foreach (var offset in options.Offsets)
        {
            _ = Position(offset);
        }
    }

    private static async Task<int> RunAsync(ReplayOptions options, TextWriter output, CancellationToken stopping)
    {
        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = "cdc-replay",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
        };
        foreach (var (key, value) in options.Consumer)
        {
            consumerConfig.Set(key, value);
        }

        var producerConfig = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            Partitioner = Partitioner.Murmur2Random, // Java's: the partition a Kafka Connect producer would pick for the key
        };
        foreach (var (key, value) in options.Producer)
        {
            producerConfig.Set(key, value);
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(consumerConfig).SetLogHandler((_, _) => { }).Build();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(producerConfig).SetLogHandler((_, _) => { }).Build();
        var deadLetters = new List<(TopicPartitionOffset At, Message<byte[]?, byte[]?> Message)>();
        foreach (var text in options.Offsets)
        {
            var at = new TopicPartitionOffset(options.DeadLetterTopic, Position(text).Partition, Position(text).Offset);
            deadLetters.Add((at, Read(consumer, at, stopping)));
        }

        // Everything is read and checked before anything is sent: a bad offset replays nothing.
        var replays = deadLetters.Select(d => (d.At, Replay: ToReplay(d.At, d.Message, options.ToTopic))).ToList();
        foreach (var (at, replay) in replays)
        {
            var delivered = await producer.ProduceAsync(replay.Destination, replay.Message, stopping);
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"replayed {at.Topic}[{at.Partition.Value}]@{at.Offset.Value} ({replay.Origin}, {replay.Stage}) to {delivered.Topic}[{delivered.Partition.Value}]@{delivered.Offset.Value}"));
        }

        return 0;
    }

    private static Message<byte[]?, byte[]?> Read(IConsumer<byte[]?, byte[]?> consumer, TopicPartitionOffset at, CancellationToken stopping)
    {
        var watermarks = consumer.QueryWatermarkOffsets(at.TopicPartition, ReadTimeout);
        Check(
            at.Offset.Value >= watermarks.Low.Value && at.Offset.Value < watermarks.High.Value,
            $"{at.Topic}[{at.Partition.Value}] holds offsets {watermarks.Low.Value} to {watermarks.High.Value - 1}: no dead letter at {at.Offset.Value}");
        consumer.Assign(at);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(ReadTimeout);
        ConsumeResult<byte[]?, byte[]?> result;
        do
        {
            result = consumer.Consume(timeout.Token);
        }
        while (result.IsPartitionEOF || result.Offset.Value < at.Offset.Value);

        Check(result.Offset.Value == at.Offset.Value, $"{at.Topic}[{at.Partition.Value}]@{at.Offset.Value} could not be read (got offset {result.Offset.Value})");
        return result.Message;
    }

    private static (string Origin, string Stage, TopicPartition Destination, Message<byte[]?, byte[]?> Message) ToReplay(
        TopicPartitionOffset at, Message<byte[]?, byte[]?> deadLetter, string? toTopic)
    {
        string? Header(string name) =>
            deadLetter.Headers?.TryGetLastBytes(DeadLetterPublisher.HeaderPrefix + name, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;

        var where = $"{at.Topic}[{at.Partition.Value}]@{at.Offset.Value}";
        var topic = Header("topic");
        Check(topic is not null && int.TryParse(Header("partition"), CultureInfo.InvariantCulture, out _), $"{where} has no {DeadLetterPublisher.HeaderPrefix}topic and partition headers: not a dead letter cdc sink wrote");
        var partition = int.Parse(Header("partition")!, CultureInfo.InvariantCulture);
        Check(
            Header("value.dropped.bytes") is null,
            $"{where} was parked without its value (too large to publish); read it from {topic}[{partition}]@{Header("offset")} and produce it yourself");
        var headers = new Headers();
        foreach (var header in deadLetter.Headers ?? [])
        {
            if (!header.Key.StartsWith(DeadLetterPublisher.HeaderPrefix, StringComparison.Ordinal))
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }

        var destination = toTopic is null ? new TopicPartition(topic!, partition) : new TopicPartition(toTopic, Partition.Any);
        var message = new Message<byte[]?, byte[]?> { Key = deadLetter.Key, Value = deadLetter.Value, Headers = headers };
        return ($"{topic}[{partition}]@{Header("offset")}", Header("stage") ?? "?", destination, message);
    }

    private static (int Partition, long Offset) Position(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? (partition, offset)
            : throw new ConfigurationError($"--offsets: '{text}' is not partition:offset (e.g. 0:17)");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ConfigurationError(message);
        }
    }
}
