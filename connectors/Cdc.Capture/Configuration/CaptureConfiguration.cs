using Cdc.Common.Configuration;
using Cdc.Common.Postgres;
using Npgsql;

namespace Cdc.Capture.Configuration;

/// <summary>Loads and validates <see cref="CaptureOptions"/> from file, <c>CDC_</c> environment and flags.</summary>
public static class CaptureConfiguration
{
    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>
    {
        ["--source"] = "Source",
        ["--bootstrap-servers"] = "BootstrapServers",
        ["--topic-prefix"] = "TopicPrefix",
        ["--tables"] = "TableList",
        ["--slot"] = "Slot",
        ["--publication"] = "Publication",
        ["--signal-table"] = "SignalTable",
        ["--format"] = "Format",
        ["--schema-registry"] = "SchemaRegistry:Url",
        ["--metrics-port"] = "MetricsPort",
        ["--heartbeat-interval"] = "HeartbeatInterval",
        ["--inactive-slot-warning-bytes"] = "InactiveSlotWarningBytes",
        ["--signal-channels"] = "SignalChannels",
        ["--table-scan-interval"] = "TableScanInterval",
        ["--max-record-bytes"] = "MaxRecordBytes",
        ["--decimal-handling-mode"] = "DecimalHandlingMode",
        ["--signal-kafka-topic"] = "SignalKafkaTopic",
    };

    /// <exception cref="ConfigurationError">Anything wrong, with one message naming what and where.</exception>
    public static CaptureOptions Load(IReadOnlyList<string> args)
    {
        var configuration = HostConfiguration.Build(args, Flags);
        var options = HostConfiguration.Bind<CaptureOptions>(configuration);
        if (configuration["TableList"] is { } list)
        {
            options.Tables = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        Validate(options);
        return options;
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

        var url = options.SchemaRegistry.Url;
        Check(!string.IsNullOrWhiteSpace(url), "--format avro needs the Schema Registry: pass --schema-registry http://host:8081");
        foreach (var one in url.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Check(Uri.TryCreate(one, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https", $"--schema-registry: '{one}' is not an absolute http(s) URL");
        }
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
