using System.Globalization;
using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.Sink.Configuration;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Cdc.Reconciler;

/// <summary>Loads and validates <see cref="ReconcileOptions"/> (and the sink configuration it names).</summary>
public static class ReconcileConfiguration
{
    public static readonly IReadOnlyList<CommandFlag> Flags =
    [
        new("--primary", "Primary", "CONN", "Npgsql connection string of the primary") { Required = true },
        new("--store", "Store", "CONN", "Npgsql connection string of the subsystem's store") { Required = true },
        new("--tables", "TableList", "s.t,s.t", "primary tables to check") { Default = "every table of the primary's public schema" },
        new("--repair", "Repair", "none|resnapshot|direct", "what to do with drift: report it, re-stream it through the source connector's signal table, or write it directly"),
        new("--sink-config", "SinkConfig", "FILE", "the sink's configuration file: its table mapping, metadata schema, group and Kafka"),
        new("--topic-prefix", "TopicPrefix", "P", "the source connector's topic prefix (topics are P.<schema>.<table>)"),
        new("--bootstrap-servers", "BootstrapServers", "LIST", "Kafka, for the consistency wait") { Default = "the sink configuration's" },
        new("--slot", "Slot", "NAME", "the source connector's slot: the wait then starts at its confirmed LSN"),
        new("--signal-table", "SignalTable", "s.t", "Debezium's signal table on the primary (--repair resnapshot)"),
        new("--wait", "Wait", "T", "longest wait for the store to reach the consistency point before reporting lag (exit code 3)"),
        new("--grace", "Grace", "T", "pause before differing rows are read again; only what still differs is drift"),
        new("--parallel", "Parallel", "N", "key ranges hashed at once on each side, each on its own connection"),
        new("--json", "Json", "", "print the result as JSON on stdout (progress stays on stderr)") { IsSwitch = true },
        new("--every", "Every", "T", "run on this schedule as a service, with /metrics") { Default = "none: once" },
        new("--metrics-port", "MetricsPort", "N", "/metrics, /healthz, /readyz on this port with --every; 0 = off"),
    ];

    /// <summary>The flags of <c>cdc reconcile status</c>.</summary>
    public static readonly IReadOnlyList<CommandFlag> StatusFlags =
    [
        new("--store", "Store", "CONN", "Npgsql connection string of the subsystem's store") { Required = true },
        new("--sink-config", "SinkConfig", "FILE", "the sink's configuration file (its metadata schema)"),
    ];

    /// <exception cref="ConfigurationError">Anything wrong, with one message naming what and where.</exception>
    public static ReconcileOptions Load(IReadOnlyList<string> args)
    {
        var options = new ReconcileOptions();
        Bind(HostConfiguration.Build(args, Flags), options);
        Validate(options);
        return options;
    }

    /// <summary>Binds <paramref name="configuration"/> onto <paramref name="options"/>; <c>--tables a,b</c> becomes the list.</summary>
    public static void Bind(IConfiguration configuration, ReconcileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        HostConfiguration.BindInto(configuration, options);
        options.Tables = HostConfiguration.CommaList(configuration, "TableList") ?? options.Tables;
    }

    /// <summary>What <c>cdc reconcile status</c> needs: a store connection string.</summary>
    public static void ValidateStatus(ReconcileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckConnection("--store", options.Store);
        Check(options.SinkConfig is null || File.Exists(options.SinkConfig), $"--sink-config: file '{options.SinkConfig}' does not exist");
    }

    public static void Validate(ReconcileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckConnection("--primary", options.Primary);
        CheckConnection("--store", options.Store);
        Check(options.MetricsPort is >= 0 and <= 65535, "--metrics-port must be between 0 and 65535");
        Check(options.Every is null || options.Every >= TimeSpan.FromSeconds(1), "--every must be at least 00:00:01");
        Check(options.Wait >= TimeSpan.Zero && options.Grace >= TimeSpan.Zero, "--wait and --grace cannot be negative");
        Check(options.Parallel is >= 1 and <= 64, "--parallel must be between 1 and 64");
        CheckPool("--primary", options.Primary!, options.Parallel);
        CheckPool("--store", options.Store!, options.Parallel);
        Check(options.FetchRows is >= 1 and <= 100_000, "FetchRows must be between 1 and 100000");
        Check(options.ChunkTarget > TimeSpan.Zero, "ChunkTarget must be positive");
        foreach (var table in options.Tables)
        {
            Check(TableName.TryParse(table, out _), $"--tables: '{table}' is not schema.table");
        }

        Check(TableName.TryParse(options.SignalTable, out _), $"--signal-table: '{options.SignalTable}' is not schema.table");
        Check(options.SinkConfig is null || File.Exists(options.SinkConfig), $"--sink-config: file '{options.SinkConfig}' does not exist");
    }

    /// <summary>The sink's options: <see cref="ReconcileOptions.Sink"/>, or from <see cref="ReconcileOptions.SinkConfig"/>
    /// (mapping only: not validated as a worker's).</summary>
    public static SinkOptions LoadSink(ReconcileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Sink is { } given)
        {
            return given;
        }

        if (options.SinkConfig is null)
        {
            return new SinkOptions();
        }

        var sink = HostConfiguration.Bind<SinkOptions>(HostConfiguration.Build(["--config", options.SinkConfig], []));
        foreach (var rule in sink.Tables)
        {
            Check(rule.Include.Count == 0 || rule.Exclude.Count == 0, $"--sink-config: table rule {rule.Topic ?? rule.TopicPattern}: Include and Exclude together");
        }

        return sink;
    }

    internal static string Describe(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    /// <summary>Each of <c>--parallel</c>'s workers hashes its range on a connection of its own to each side.</summary>
    private static void CheckPool(string flag, string connectionString, int parallel)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Check(
            !builder.Pooling || builder.MaxPoolSize >= parallel,
            $"--parallel {parallel} hashes {parallel} key ranges at once, each on its own connection to each side, but {flag}'s Maximum Pool Size is {builder.MaxPoolSize}: raise it or lower --parallel");
    }

    private static void CheckConnection(string flag, string? value)
    {
        Check(!string.IsNullOrWhiteSpace(value), $"no {flag[2..]}: pass {flag} 'Host=...;Database=...'");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationError($"{flag} is not a valid Npgsql connection string: {e.Message}", e);
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
