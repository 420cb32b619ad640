using System.Globalization;
using Cdc.Common.Configuration;
using Cdc.Sink.Configuration;
using Npgsql;

namespace Cdc.Reconciler;

/// <summary>Loads and validates <see cref="ReconcileOptions"/> (and the sink configuration it names).</summary>
public static class ReconcileConfiguration
{
    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>
    {
        ["--primary"] = "Primary",
        ["--store"] = "Store",
        ["--tables"] = "TableList",
        ["--repair"] = "Repair",
        ["--json"] = "Json",
        ["--every"] = "Every",
        ["--metrics-port"] = "MetricsPort",
        ["--sink-config"] = "SinkConfig",
        ["--topic-prefix"] = "TopicPrefix",
        ["--bootstrap-servers"] = "BootstrapServers",
        ["--slot"] = "Slot",
        ["--signal-table"] = "SignalTable",
        ["--wait"] = "Wait",
        ["--grace"] = "Grace",
    };

    /// <summary><c>--json</c> takes no value: it is rewritten to <c>--json true</c> before parsing.</summary>
    public static ReconcileOptions Load(IReadOnlyList<string> args)
    {
        var expanded = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            expanded.Add(args[i]);
            if (args[i] == "--json" && (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)))
            {
                expanded.Add("true");
            }
        }

        var configuration = HostConfiguration.Build(expanded, Flags);
        var options = HostConfiguration.Bind<ReconcileOptions>(configuration);
        if (configuration["TableList"] is { } list)
        {
            options.Tables = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        Validate(options);
        return options;
    }

    public static void Validate(ReconcileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckConnection("--primary", options.Primary);
        CheckConnection("--store", options.Store);
        Check(options.MetricsPort is >= 0 and <= 65535, "--metrics-port must be between 0 and 65535");
        Check(options.Every is null || options.Every >= TimeSpan.FromSeconds(1), "--every must be at least 00:00:01");
        Check(options.Wait >= TimeSpan.Zero && options.Grace >= TimeSpan.Zero, "--wait and --grace cannot be negative");
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

        var sink = HostConfiguration.Bind<SinkOptions>(HostConfiguration.Build(["--config", options.SinkConfig], new Dictionary<string, string>()));
        foreach (var rule in sink.Tables)
        {
            Check(rule.Include.Count == 0 || rule.Exclude.Count == 0, $"--sink-config: table rule {rule.Topic ?? rule.TopicPattern}: Include and Exclude together");
        }

        return sink;
    }

    internal static string Describe(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

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
