using Microsoft.Extensions.Configuration;

namespace Cdc.Common.Configuration;

/// <summary>
/// Builds a host's configuration in the order every Cdc host uses, later sources winning:
/// an appsettings-style JSON file (<c>--config FILE</c>), environment variables (<c>CDC_</c> prefix,
/// <c>__</c> for nesting), then command-line flags.
/// </summary>
public static class HostConfiguration
{
    public const string EnvironmentPrefix = "CDC_";

    /// <param name="args">The command's arguments (after the command name).</param>
    /// <param name="flags">Each accepted flag (<c>--store</c>) and the configuration key it sets (<c>Store</c>).</param>
    /// <exception cref="ConfigurationError">An unknown flag, a flag without its value, or an unreadable file.</exception>
    public static IConfiguration Build(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> flags)
    {
        string? file = null;
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inlineValue) = SplitFlag(args[i]);
            if (flag != "--config" && !flags.ContainsKey(flag))
            {
                var known = string.Join(", ", flags.Keys.Prepend("--config").Order(StringComparer.Ordinal));
                throw new ConfigurationError($"unknown option '{args[i]}' (known: {known})");
            }

            var value = inlineValue ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new ConfigurationError($"option '{flag}' needs a value"));
            if (flag == "--config")
            {
                file = value;
            }
            else
            {
                values[flags[flag]] = value;
            }
        }

        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            var path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                throw new ConfigurationError($"config file '{file}' does not exist");
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix).AddInMemoryCollection(values);
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
        {
            throw new ConfigurationError($"config file '{file}' is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Binds a section onto a new options object, turning binder failures into one clear message.</summary>
    public static T Bind<T>(IConfiguration configuration)
        where T : new()
    {
        var options = new T();
        try
        {
            configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = false);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationError($"invalid configuration: {e.InnerException?.Message ?? e.Message}", e);
        }

        return options;
    }

    private static (string Flag, string? Value) SplitFlag(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal))
        {
            throw new ConfigurationError($"unexpected argument '{arg}': options are written --name value");
        }

        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arg, null) : (arg[..equals], arg[(equals + 1)..]);
    }
}
