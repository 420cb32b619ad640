using System.Collections;
using Cdc.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Cdc.Common.Configuration;

/// <summary>
/// Builds a host's configuration in the order every Cdc host uses, later sources winning:
/// <c>appsettings.json</c> beside the binary (then <c>appsettings.{DOTNET_ENVIRONMENT}.json</c>), a JSON file given
/// with <c>--config FILE</c>, the standard <c>Logging__*</c> environment variables, environment variables with the
/// <c>CDC_</c> prefix (<c>__</c> for nesting), then command-line flags.
/// </summary>
public static class HostConfiguration
{
    public const string EnvironmentPrefix = "CDC_";

    /// <summary>The unprefixed environment is read for this section alone: an unrelated variable such as <c>Source</c>
    /// must not change the pipeline, while <c>Logging__LogLevel__Default</c> works as in any .NET host.</summary>
    private const string LoggingPrefix = "Logging__";

    private static readonly HashSet<string> Formatters = new(StringComparer.OrdinalIgnoreCase) { "simple", "json", "systemd" };

    /// <param name="args">The command's arguments (after the command name).</param>
    /// <param name="flags">The command's own flags; <see cref="HostFlags.All"/> are accepted as well.</param>
    /// <exception cref="ConfigurationError">An unknown flag, a flag without its value, or an unreadable file.</exception>
    public static IConfiguration Build(IReadOnlyList<string> args, IEnumerable<CommandFlag> flags)
    {
        ArgumentNullException.ThrowIfNull(args);
        var known = flags.Concat(HostFlags.All).ToDictionary(f => f.Name, StringComparer.Ordinal);
        string? file = null;
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = SplitFlag(args[i]);
            if (!known.TryGetValue(name, out var flag))
            {
                throw new ConfigurationError($"unknown option '{args[i]}' (known: {string.Join(", ", known.Keys.Order(StringComparer.Ordinal))}; --help lists them)");
            }

            var value = inlineValue
                ?? (flag.IsSwitch && (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)) ? "true" : null)
                ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                    ? args[++i]
                    : throw new ConfigurationError($"option '{name}' needs a value"));
            if (name == HostFlags.Config)
            {
                file = value;
            }
            else
            {
                values[flag.Key] = value;
            }
        }

        var builder = new ConfigurationBuilder();
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment}.json"), optional: true, reloadOnChange: false);
        if (file is not null)
        {
            var path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                throw new ConfigurationError($"config file '{file}' does not exist");
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        builder.AddInMemoryCollection(UnprefixedLogging())
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(values);
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
        {
            throw new ConfigurationError($"config file '{file ?? "appsettings.json"}' is not valid JSON: {OperatorErrors.OneLine(e.Message)}", e);
        }
    }

    /// <summary>Binds a section onto a new options object, turning binder failures into one clear message.</summary>
    public static T Bind<T>(IConfiguration configuration)
        where T : new()
    {
        var options = new T();
        BindInto(configuration, options);
        return options;
    }

    /// <summary>Binds onto <paramref name="options"/>, turning binder failures into one clear message.</summary>
    /// <exception cref="ConfigurationError">A value that does not convert (a port that is not a number, ...).</exception>
    public static void BindInto<T>(IConfiguration configuration, T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = false);
        }
        catch (InvalidOperationException e)
        {
            var detail = e.InnerException is { } inner ? $" ({OperatorErrors.OneLine(inner.Message)})" : "";
            throw new ConfigurationError($"invalid configuration: {OperatorErrors.OneLine(e.Message).TrimEnd('.')}{detail}", e);
        }
    }

    /// <summary>A comma-separated list a flag gave (<c>--tables a,b</c> sets <c>TableList</c>), or null when none did.</summary>
    public static List<string>? CommaList(IConfiguration configuration, string key) =>
        configuration?[key] is { } list ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : null;

    /// <summary>The host's settings and its <c>Logging</c> section, checked: levels and the console format must be known.</summary>
    /// <exception cref="ConfigurationError">A bad deadline, an unknown log level or console format.</exception>
    public static HostSettings Settings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = Bind<HostSettings>(configuration);
        Check(settings.StartTimeout > TimeSpan.Zero, "--start-timeout must be positive, e.g. 00:00:30");
        Check(settings.ShutdownTimeout >= TimeSpan.Zero, "--shutdown-timeout cannot be negative");
        var logging = configuration.GetSection("Logging");
        foreach (var level in logging.GetSection("LogLevel").GetChildren()
                     .Concat(logging.GetChildren().SelectMany(provider => provider.GetSection("LogLevel").GetChildren())))
        {
            Check(
                level.Value is null || (Enum.TryParse<LogLevel>(level.Value, ignoreCase: true, out _) && !int.TryParse(level.Value, out _)),
                $"{level.Path}: '{level.Value}' is not a log level (Trace, Debug, Information, Warning, Error, Critical, None)");
        }

        var formatter = configuration[HostFlags.FormatterKey];
        Check(formatter is null || Formatters.Contains(formatter), $"--log-format ({HostFlags.FormatterKey}) must be simple or json, not '{formatter}'");
        return settings;
    }

    private static IEnumerable<KeyValuePair<string, string?>> UnprefixedLogging() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => ((string)e.Key, (string?)e.Value))
            .Where(e => e.Item1.StartsWith(LoggingPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(e => KeyValuePair.Create(e.Item1.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), e.Item2));

    private static (string Flag, string? Value) SplitFlag(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal))
        {
            throw new ConfigurationError($"unexpected argument '{arg}': options are written --name value (--help lists them)");
        }

        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arg, null) : (arg[..equals], arg[(equals + 1)..]);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ConfigurationError(message);
        }
    }
}
