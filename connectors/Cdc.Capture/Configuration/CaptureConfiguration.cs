using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.Common.Postgres;
using Cdc.Schemas.Registry;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Cdc.Capture.Configuration;

/// <summary>Loads and validates <see cref="CaptureOptions"/> from file, <c>CDC_</c> environment and flags.</summary>
public static class CaptureConfiguration
{
    public static readonly IReadOnlyList<CommandFlag> Flags =
    [
        new("--source", "Source", "CONN", "Npgsql connection string of the primary (a role with REPLICATION)") { Required = true },
        new("--bootstrap-servers", "BootstrapServers", "LIST", "Kafka, host:port[,host:port]") { Required = true },
        new("--topic-prefix", "TopicPrefix", "P", "topics are P.<schema>.<table> (Debezium's topic.prefix)"),
        new("--tables", "TableList", "s.t,s.t", "the include list; when absent every table with a primary key or replica identity, followed as tables appear") { Default = "every table" },
        new("--slot", "Slot", "NAME", "the logical replication slot"),
        new("--publication", "Publication", "NAME", "the publication, created or altered to match --tables"),
        new("--signal-table", "SignalTable", "s.t", "Debezium's signal table (incremental snapshots), created when missing"),
        new("--format", "Format", "json|avro", "JsonConverter's JSON, or AvroConverter's Avro through the Schema Registry"),
        new("--schema-registry", "SchemaRegistry:" + SchemaRegistrySettings.Url, "URL", "the Schema Registry, for --format avro"),
        new("--metrics-port", "MetricsPort", "N", "/metrics, /healthz, /readyz on this port; 0 = off"),
        new("--heartbeat-interval", "HeartbeatInterval", "T", "heartbeat records to __debezium-heartbeat.P (with the idle position in header cdc.lsn); 0 = off"),
        new("--transaction-metadata", "TransactionMetadata", "true|false", "Debezium's provide.transaction.metadata: BEGIN/END records to P.transaction and a transaction block in every event"),
        new("--inactive-slot-warning-bytes", "InactiveSlotWarningBytes", "N", "at start, warn about other slots nothing consumes that retain more WAL than this"),
        new("--signal-channels", "SignalChannels", "LIST", "where signals are read: source (the signal table), kafka (--signal-kafka-topic, key = topic prefix)"),
        new("--signal-kafka-topic", "SignalKafkaTopic", "T", "Debezium's signal.kafka.topic, partition 0") { Default = "P-signal" },
        new("--table-scan-interval", "TableScanInterval", "T", "how often the captured set follows the database (new tables are snapshotted)"),
        new("--max-record-bytes", "MaxRecordBytes", "N", "a larger record is skipped, named in the log and <prefix>.skipped-rows, re-read at a start once it fits"),
        new("--decimal-handling-mode", "DecimalHandlingMode", "string|precise|double", "Debezium's decimal.handling.mode: string keeps every numeric exact, NaN and Infinity included; precise skips and records rows holding them; double loses digits") { Default = "string" },
        new("--interval-handling-mode", "IntervalHandlingMode", "string|numeric", "Debezium's interval.handling.mode: string (ISO 8601) keeps months exact; numeric is microseconds, a month as 365.25/12 days") { Default = "string" },
    ];

    /// <exception cref="ConfigurationError">Anything wrong, with one message naming what and where.</exception>
    public static CaptureOptions Load(IReadOnlyList<string> args)
    {
        var options = new CaptureOptions();
        Bind(HostConfiguration.Build(args, Flags), options);
        Validate(options);
        return options;
    }

    /// <summary>Binds <paramref name="configuration"/> onto <paramref name="options"/>; <c>--tables a,b</c> becomes the list.</summary>
    public static void Bind(IConfiguration configuration, CaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        HostConfiguration.BindInto(configuration, options);
        options.Tables = HostConfiguration.CommaList(configuration, "TableList") ?? options.Tables;
    }

    public static void Validate(CaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(!string.IsNullOrWhiteSpace(options.Source), "no source: pass --source 'Host=...;Database=...' (or Source in the config file, CDC_Source in the environment)");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(options.Source);
            Check(!string.IsNullOrEmpty(builder.Database), "--source must name a Database");
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationError($"--source is not a valid Npgsql connection string: {e.Message}", e);
        }

        Check(!string.IsNullOrWhiteSpace(options.BootstrapServers), "no Kafka: pass --bootstrap-servers host:port[,host:port]");
        Check(!string.IsNullOrWhiteSpace(options.TopicPrefix) && !options.TopicPrefix.Any(c => char.IsWhiteSpace(c) || c is '/' or '\\'), $"--topic-prefix '{options.TopicPrefix}' is not a valid topic name prefix");
        CheckIdentifier("--slot", options.Slot);
        Check(options.Slot.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'), $"--slot '{options.Slot}': a replication slot name may contain only lower case letters, digits and _");
        CheckIdentifier("--publication", options.Publication);
        foreach (var table in options.Tables)
        {
            _ = QualifiedName("--tables", table);
        }

        _ = QualifiedName("--signal-table", options.SignalTable);
        Check(options.MetricsPort is >= 0 and <= 65535, "--metrics-port must be between 0 and 65535");
        Check(options.HeartbeatInterval >= TimeSpan.Zero, "--heartbeat-interval cannot be negative");
        Check(options.InactiveSlotWarningBytes >= 0, "--inactive-slot-warning-bytes cannot be negative");
        Check(options.MaxRecordBytes is >= 1024 and <= 512 * 1024 * 1024, "--max-record-bytes must be between 1024 and 536870912");
        Check(options.TableScanInterval >= TimeSpan.FromMilliseconds(100), "--table-scan-interval must be at least 00:00:00.1");
        Check(options.SnapshotChunkSize is >= 1 and <= 1_000_000, "SnapshotChunkSize must be between 1 and 1000000");
        Check(options.MaxReconnectDelay >= TimeSpan.FromMilliseconds(100), "MaxReconnectDelay must be at least 00:00:00.1");
        Check(
            options.DecimalHandlingMode is { } decimalMode && Enum.TryParse<Schemas.Connect.DecimalHandlingMode>(decimalMode, ignoreCase: true, out _) && !int.TryParse(decimalMode, out _),
            $"--decimal-handling-mode must be string, precise or double, not '{options.DecimalHandlingMode}'");
        Check(
            options.IntervalHandlingMode is { } intervalMode && Enum.TryParse<Schemas.Connect.IntervalHandlingMode>(intervalMode, ignoreCase: true, out _) && !int.TryParse(intervalMode, out _),
            $"--interval-handling-mode must be string or numeric, not '{options.IntervalHandlingMode}'");
        foreach (var channel in options.SignalChannels.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            Check(channel is "source" or "kafka", $"--signal-channels: '{channel}' is not a channel this connector has (source, kafka)");
        }

        Check(!string.IsNullOrWhiteSpace(options.SignalKafkaGroupId), "SignalKafkaGroupId cannot be empty");
        CheckFormat(options);
    }

    /// <summary>Splits <c>schema.table</c>; identifiers are checked, never trusted (they are quoted wherever used).</summary>
    /// <exception cref="ConfigurationError">Not two valid identifiers.</exception>
    public static (string Schema, string Table) QualifiedName(string what, string name)
    {
        var parts = name.Split('.');
        Check(parts.Length == 2, $"{what}: '{name}' is not schema.table");
        CheckIdentifier(what, parts[0]);
        CheckIdentifier(what, parts[1]);
        return (parts[0], parts[1]);
    }

    private static void CheckFormat(CaptureOptions options)
    {
        Check(
            string.Equals(options.Format, CaptureOptions.JsonFormat, StringComparison.OrdinalIgnoreCase) || options.IsAvro,
            $"--format must be json or avro, not '{options.Format}'");
        if (!options.IsAvro)
        {
            return;
        }

        var problem = SchemaRegistrySettings.Problem(options.SchemaRegistry);
        Check(problem is null, $"--format avro: {problem}");
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

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ConfigurationError(message);
        }
    }
}
