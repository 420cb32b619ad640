using System.Text.RegularExpressions;
using Cdc.Common.Configuration;
using Cdc.Common.Postgres;
using Cdc.Store.Mapping;
using Npgsql;

namespace Cdc.Sink.Configuration;

/// <summary>Loads and validates <see cref="SinkOptions"/> from file, environment and flags.</summary>
public static class SinkConfiguration
{
    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>
    {
        ["--bootstrap-servers"] = "Kafka:BootstrapServers",
        ["--group"] = "Kafka:GroupId",
        ["--topics"] = "Kafka:TopicList",
        ["--topic-pattern"] = "Kafka:TopicPattern",
        ["--dead-letter-topic"] = "Kafka:DeadLetterTopic",
        ["--store"] = "Store",
        ["--metrics-port"] = "MetricsPort",
        ["--batch-size"] = "MaxBatchSize",
        ["--parallelism"] = "Parallelism",
        ["--format"] = "Format",
        ["--schema-registry"] = "SchemaRegistry:Url",
        ["--instance-id"] = "Kafka:InstanceId",
        ["--primary"] = "Heal:Primary",
        ["--heal-signal-topic"] = "Heal:SignalTopic",
    };

    /// <exception cref="ConfigurationError">Anything wrong, with one message naming what and where.</exception>
    public static SinkOptions Load(IReadOnlyList<string> args)
    {
        var configuration = HostConfiguration.Build(args, Flags);
        var options = HostConfiguration.Bind<SinkOptions>(configuration);
        if (configuration["Kafka:TopicList"] is { } list)
        {
            options.Kafka.Topics = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        Validate(options);
        return options;
    }

    public static void Validate(SinkOptions options)
    {
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

        var registry = options.SchemaRegistry;
        Check(!string.IsNullOrWhiteSpace(registry.Url), "--format avro needs the Schema Registry: pass --schema-registry http://host:8081 (or SchemaRegistry:Url in the config file)");
        foreach (var url in registry.Url.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var valid = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
            Check(valid, $"--schema-registry: '{WithoutCredentials(url)}' is not an absolute http(s) URL");
            Check(
                uri!.UserInfo.Length == 0,
                "--schema-registry: credentials in the URL are neither used nor kept secret; give SchemaRegistry:Username and SchemaRegistry:Password (e.g. CDC_SchemaRegistry__Password)");
        }

        Check(registry.RequestTimeout > TimeSpan.Zero, "SchemaRegistry:RequestTimeout must be positive");
        Check(registry.MaxRetries >= 0, "SchemaRegistry:MaxRetries cannot be negative");
        Check(registry.Password is null || registry.Username is not null, "SchemaRegistry:Password given without SchemaRegistry:Username");
    }

    // Anything between "//" and "@" (user:password) is left out of messages.
    private static string WithoutCredentials(string url) =>
        url.IndexOf("//", StringComparison.Ordinal) is var start and >= 0 && url.IndexOf('@', start) is var at and > 0
            ? string.Concat(url.AsSpan(0, start + 2), "***", url.AsSpan(at))
            : url;

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
