using System.Text;
using Cdc.Common.Configuration;
using Cdc.Common.Hosting.Internal;
using Microsoft.Extensions.Configuration;

namespace Cdc.Common.Hosting;

/// <summary>
/// A command run by <see cref="CommandHost"/>: its flags (and so its <c>--help</c>), how its options are bound and
/// validated, the servers it needs at start, and what it runs.
/// </summary>
public sealed class CommandDefinition<TOptions>
    where TOptions : class, new()
{
    /// <summary>As the user types it: <c>cdc sink</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What it does, one or two lines under the usage line.</summary>
    public required string Summary { get; init; }

    public required IReadOnlyList<CommandFlag> Flags { get; init; }

    /// <summary>Text after the options: details, examples.</summary>
    public string? Notes { get; init; }

    /// <summary>Every exit code and what it means.</summary>
    public required string ExitCodes { get; init; }

    /// <summary>Binds configuration onto the options (flags that need more than binding, such as comma lists, included).</summary>
    public required Action<IConfiguration, TOptions> Bind { get; init; }

    /// <summary>Throws <see cref="ConfigurationError"/> naming what is wrong; run at host start (ValidateOnStart).</summary>
    public required Action<TOptions> Validate { get; init; }

    /// <summary>The servers to check before <see cref="Run"/> (<see cref="Preflight"/>).</summary>
    public Func<TOptions, IEnumerable<Dependency>> Dependencies { get; init; } = _ => [];

    /// <summary>The work, until done or until the token asks it to stop; returns the exit code.</summary>
    public required Func<CommandContext<TOptions>, CancellationToken, Task<int>> Run { get; init; }

    /// <summary>The category of the command's own log lines (<c>cdc.sink</c>): <c>Logging:LogLevel:cdc.sink</c> sets its level.</summary>
    public required string LogCategory { get; init; }

    /// <summary>The exit code of an unexpected failure and of a drain that missed its deadline.</summary>
    public int FailureExitCode { get; init; } = 1;

    /// <summary>The exit code when stopped (SIGTERM, Ctrl-C) before the work returned one.</summary>
    public int StoppedExitCode { get; init; }

    /// <summary>The <c>--help</c> text: every flag with its default, the host's flags, the exit codes.</summary>
    public string Usage => Render();

    /// <summary>Options from <paramref name="args"/>, the environment and the files, bound and validated.</summary>
    /// <exception cref="ConfigurationError">Anything wrong, with one message naming what and where.</exception>
    public TOptions Load(IReadOnlyList<string> args)
    {
        var options = new TOptions();
        Bind(HostConfiguration.Build(args, Flags), options);
        Validate(options);
        return options;
    }

    private string Render()
    {
        var defaults = new TOptions();
        var hostDefaults = new HostSettings();
        var text = new StringBuilder();
        text.Append("usage: ").Append(Name).AppendLine(" [options]").AppendLine();
        text.AppendLine(Summary.Trim()).AppendLine();
        text.AppendLine("options (also settable as configuration: appsettings.json < --config FILE < CDC_<Key> environment, __ for : < flags):");
        AppendFlags(text, Flags, defaults);
        text.AppendLine().AppendLine("host options:");
        AppendFlags(text, HostFlags.All, hostDefaults);
        text.Append("  ").Append("-h, --help".PadRight(26)).AppendLine(" this text");
        if (Notes is { } notes)
        {
            text.AppendLine().AppendLine(notes.Trim());
        }

        text.AppendLine().Append("exit codes: ").AppendLine(ExitCodes.Trim());
        return text.ToString().TrimEnd();
    }

    private static void AppendFlags(StringBuilder text, IReadOnlyList<CommandFlag> flags, object defaults)
    {
        foreach (var flag in flags)
        {
            var left = flag.IsSwitch ? flag.Name : $"{flag.Name} {flag.Value}";
            var value = flag.Required ? "required" : "default: " + (flag.Default ?? OptionDefaults.Of(defaults, flag.Key) ?? "none");
            var key = flag.Key.Length == 0 ? "" : $" [{flag.Key}]";
            text.Append("  ").Append(left.PadRight(26)).Append(' ').Append(flag.Description).Append(key)
                .Append(" (").Append(value).AppendLine(")");
        }
    }
}
