namespace Cdc.Common.Hosting;

/// <summary>The flags every hosted command takes besides its own: configuration file, logging, start and drain deadlines.</summary>
public static class HostFlags
{
    public const string Config = "--config";

    public const string FormatterKey = "Logging:Console:FormatterName";

    public static IReadOnlyList<CommandFlag> All { get; } =
    [
        new(Config, "", "FILE", "settings as JSON, under the environment and the flags") { Default = "none" },
        new("--log-level", "Logging:LogLevel:Default", "LEVEL", "least level logged: Trace, Debug, Information, Warning, Error, Critical, None; per category: Logging:LogLevel:<category>") { Default = "Information" },
        new("--log-format", FormatterKey, "simple|json", "console log lines: one text line each, or one JSON object each (for log shippers)") { Default = "simple" },
        new("--start-timeout", nameof(HostSettings.StartTimeout), "T", "how long to wait at start for PostgreSQL and Kafka to answer before exiting with code 2"),
        new("--shutdown-timeout", nameof(HostSettings.ShutdownTimeout), "T", "drain deadline after SIGTERM/Ctrl-C: work still in flight then is abandoned, uncommitted"),
    ];
}
