using System.Text.RegularExpressions;
using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.Common.Postgres;
using Cdc.Schemas.Registry;
using Cdc.Store.Mapping;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Cdc.Sink.Configuration;

/// <summary>Loads and validates <see cref="SinkOptions"/> from file, environment and flags.</summary>
public static class SinkConfiguration
{
    public static readonly IReadOnlyList<CommandFlag> Flags =
    [
        new("--bootstrap-servers", "Kafka:BootstrapServers", "LIST", "Kafka, host:port[,host:port]") { Required = true },
        new("--group", "Kafka:GroupId", "NAME", "consumer group: one per subsystem"),
        new("--topics", "Kafka:TopicList", "a,b", "topics to consume (this or --topic-pattern)"),
        new("--topic-pattern", "Kafka:TopicPattern", "REGEX", "topics to consume, by regular expression"),
        new("--dead-letter-topic", "Kafka:DeadLetterTopic", "TOPIC", "where records that cannot be applied go") { Default = "<group>.dlq" },
        new("--store", "Store", "CONN", "Npgsql connection string of the subsystem's store") { Required = true },
        new("--metrics-port", "MetricsPort", "N", "/metrics, /healthz, /readyz on this port; 0 = off"),
        new("--batch-size", "MaxBatchSize", "N", "most records applied in one batch"),
        new("--parallelism", "Parallelism", "N", "partition groups applied concurrently, each in its own transaction"),
        new("--format", "Format", "json|avro", "JsonConverter's JSON, or AvroConverter's Avro through the Schema Registry"),
        new("--schema-registry", "SchemaRegistry:" + SchemaRegistrySettings.Url, "URL", "the Schema Registry, for --format avro"),
        new("--transaction-topic", "Transactions:Topic", "TOPIC", "Debezium's transaction topic, tracked for cdc txn and cdc wait") { Default = "<prefix of the first topic>.transaction" },
        new("--transaction-sla", "Transactions:Sla", "T", "a transaction visible here later than this after its commit counts as over the SLA"),
        new("--transaction-retention", "Transactions:Retention", "T", "how long finished transactions stay queryable in the store"),
        new("--consistency", "Transactions:Consistency", "event|transaction", "transaction: the store never shows part of a source transaction (one instance per subsystem)"),
        new("--transaction-buffer", "Transactions:MaxBufferedEvents", "N", "transaction consistency: most events held for incomplete transactions; a larger transaction is applied in parts"),
        new("--transaction-wait", "Transactions:Wait", "T", "transaction consistency: an incomplete transaction waited for this long is applied as it is"),
        new("--instance-id", "Kafka:InstanceId", "ID", "group.instance.id: static membership, a restarted instance keeps its partitions (real Kafka)") { Default = "none" },
        new("--primary", "Heal:Primary", "CONN", "the primary: this process also finishes the heals of gaps in its stream (else cdc reconcile --every does)") { Default = "none" },
        new("--heal-signal-topic", "Heal:SignalTopic", "TOPIC", "the source connector's Kafka signal topic, where heals are requested") { Default = "<topic prefix>-signal" },
    ];

    /// <exception cref="ConfigurationError">Anything wrong, with one message naming what and where.</exception>
    public static SinkOptions Load(IReadOnlyList<string> args)
    {
        var options = new SinkOptions();
        Bind(HostConfiguration.Build(args, Flags), options);
        Validate(options);
        return options;
    }

    /// <summary>Binds <paramref name="configuration"/> onto <paramref name="options"/>; <c>--topics a,b</c> becomes the list.</summary>
    public static void Bind(IConfiguration configuration, SinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        HostConfiguration.BindInto(configuration, options);
        options.Kafka.Topics = HostConfiguration.CommaList(configuration, "Kafka:TopicList") ?? options.Kafka.Topics;
    }

    public static void Validate(SinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Store))
        {
            throw new ConfigurationError("no store: pass --store 'Host=...;Database=...' (or Store in the config file, CDC_Store in the environment)");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.Store);
        }
        catch (ArgumentException e)
        {
            // Npgsql's message quotes the offending part, which may be a piece of the password (an unquoted ';').
            throw new ConfigurationError("--store is not a valid Npgsql connection string (a value containing ';' or '=' must be in double quotes)", e);
        }

        if (string.IsNullOrWhiteSpace(options.Kafka.BootstrapServers))
        {
            throw new ConfigurationError("no Kafka: pass --bootstrap-servers host:port[,host:port]");
        }

        if (string.IsNullOrWhiteSpace(options.Kafka.GroupId))
        {
            throw new ConfigurationError("the consumer group (--group) cannot be empty");
        }

        var hasTopics = options.Kafka.Topics.Count > 0;
        var hasPattern = !string.IsNullOrEmpty(options.Kafka.TopicPattern);
        if (hasTopics == hasPattern)
        {
            throw new ConfigurationError("pass exactly one of --topics a,b,c or --topic-pattern REGEX");
        }

        if (hasPattern)
        {
            CheckRegex("--topic-pattern", options.Kafka.TopicPattern!);
        }

        Check(options.MaxBatchSize is >= 1 and <= 1_000_000, "--batch-size must be between 1 and 1000000");
        Check(options.Parallelism is >= 1 and <= 64, "--parallelism must be between 1 and 64");
        Check(options.MetricsPort is >= 0 and <= 65535, "--metrics-port must be between 0 and 65535");
        Check(options.MaxRecordBytes > 0, "MaxRecordBytes must be positive");
        Check(options.Resilience.MaxRetryAttempts >= 0, "Resilience:MaxRetryAttempts cannot be negative");
        Check(options.Resilience.BreakDuration >= TimeSpan.FromMilliseconds(500), "Resilience:BreakDuration must be at least 00:00:00.5");
        Check(options.Resilience.MaxDelay >= options.Resilience.BreakDuration, "Resilience:MaxDelay must be at least Resilience:BreakDuration");
        Check(options.Heal.Pace >= TimeSpan.Zero, "Heal:Pace cannot be negative");
        if (options.Heal.Primary is { } primary)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(primary);
            }
            catch (ArgumentException e)
            {
                throw new ConfigurationError("--primary is not a valid Npgsql connection string (a value containing ';' or '=' must be in double quotes)", e);
            }
        }

        CheckFormat(options);
        CheckConsistency(options);
        Check(
            Enum.TryParse<Schemas.Connect.DecimalHandlingMode>(options.Schemaless.DecimalHandlingMode, ignoreCase: true, out _) && !int.TryParse(options.Schemaless.DecimalHandlingMode, out _),
            $"Schemaless:DecimalHandlingMode must be string, precise or double, not '{options.Schemaless.DecimalHandlingMode}'");
        Check(
            Enum.TryParse<Schemas.Connect.IntervalHandlingMode>(options.Schemaless.IntervalHandlingMode, ignoreCase: true, out _) && !int.TryParse(options.Schemaless.IntervalHandlingMode, out _),
            $"Schemaless:IntervalHandlingMode must be string or numeric, not '{options.Schemaless.IntervalHandlingMode}'");
        CheckIdentifier("MetadataSchema", options.MetadataSchema);
        CheckIdentifier("TargetSchema", options.TargetSchema);

        foreach (var (rule, index) in options.Tables.Select((r, i) => (r, i)))
        {
            var where = $"Tables[{index}]";
            Check((rule.Topic is null) != (rule.TopicPattern is null), $"{where}: give exactly one of Topic or TopicPattern");
            if (rule.TopicPattern is not null)
            {
                CheckRegex($"{where}:TopicPattern", rule.TopicPattern);
            }

            CheckMapping(where, rule);
        }

        CheckMapping("Defaults", options.Defaults);
    }

    private static void CheckFormat(SinkOptions options)
    {
        var format = options.Format;
        Check(
            string.Equals(format, SinkOptions.JsonFormat, StringComparison.OrdinalIgnoreCase) || string.Equals(format, SinkOptions.AvroFormat, StringComparison.OrdinalIgnoreCase),
            $"--format must be json or avro, not '{format}'");
        if (!options.IsAvro)
        {
            return;
        }

        var problem = SchemaRegistrySettings.Problem(options.SchemaRegistry);
        Check(problem is null, $"--format avro: {problem}");
    }

    private static void CheckConsistency(SinkOptions options)
    {
        var transactions = options.Transactions;
        Check(
            string.Equals(transactions.Consistency, TransactionOptions.EventConsistency, StringComparison.OrdinalIgnoreCase) || transactions.IsTransactional,
            $"--consistency must be event or transaction, not '{transactions.Consistency}'");
        if (!transactions.IsTransactional)
        {
            return;
        }

        Check(transactions.Enabled && transactions.TopicFor(options.Kafka) is not null, "--consistency transaction needs the transaction topic: tracking on (Transactions:Enabled) and --transaction-topic when none can be told from the topics");
        Check(transactions.MaxBufferedEvents is >= 1 and <= 10_000_000, "--transaction-buffer must be between 1 and 10000000");
        Check(transactions.Wait > TimeSpan.Zero, "--transaction-wait must be positive");
    }

    private static void CheckMapping(string where, TableMappingOptions rule)
    {
        if (rule.Schema is not null)
        {
            CheckIdentifier($"{where}:Schema", rule.Schema);
        }

        if (rule.Table is not null)
        {
            CheckIdentifier($"{where}:Table", rule.Table);
        }

        foreach (var (from, to) in rule.Rename)
        {
            CheckIdentifier($"{where}:Rename:{from}", to);
        }

        Check(rule.Include.Count == 0 || rule.Exclude.Count == 0, $"{where}: give Include or Exclude, not both");
    }

    private static void CheckIdentifier(string what, string name)
    {
        try
        {
            PgIdentifier.Validate(name);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationError($"{what}: {e.Message}", e);
        }
    }

    private static void CheckRegex(string what, string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationError($"{what} is not a valid regular expression: {e.Message}", e);
        }
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ConfigurationError(message);
        }
    }
}
