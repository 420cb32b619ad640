using Cdc.Common.Configuration;
using Cdc.Common.Hosting.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Cdc.Common.Hosting;

/// <summary>
/// Runs a <see cref="CommandDefinition{TOptions}"/> in a .NET Generic Host: configuration from appsettings.json, the
/// environment and flags (<see cref="HostConfiguration"/>); the standard <c>Logging</c> section (levels per category,
/// console format <c>simple</c> or <c>json</c>); options validated when the host starts; SIGTERM or Ctrl-C stop it
/// with a drain deadline (<see cref="HostSettings.ShutdownTimeout"/>).
/// Exit codes: <c>--help</c> 0; an operator's problem (bad configuration, credentials, a missing database or table,
/// an unreachable server, a port in use) 2 with one line on stderr; an unexpected failure the command's failure code
/// with one line on stderr and the stack trace in the log; otherwise what the command returns.
/// </summary>
public static class CommandHost
{
    public static async Task<int> RunAsync<TOptions>(CommandDefinition<TOptions> command, IReadOnlyList<string> args, CommandConsole console, CancellationToken stopping)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        if (args.Any(a => a is "--help" or "-h"))
        {
            await console.Out.WriteLineAsync(command.Usage);
            return 0;
        }

        IHost host;
        HostSettings settings;
        try
        {
            var configuration = HostConfiguration.Build(args, command.Flags);
            settings = HostConfiguration.Settings(configuration);
            host = Build(command, configuration, settings, console);
        }
        catch (ConfigurationError e)
        {
            return await ReportAsync(console, command, e.Message, 2);
        }

        try
        {
            // Bound and validated here first, so that bad options are one line, not the host's start failure log
            // with a stack trace; ValidateOnStart checks them again as the host starts.
            _ = host.Services.GetRequiredService<IOptions<TOptions>>().Value;
        }
        catch (Exception e) when (OperatorErrors.Describe(e) is { } problem)
        {
            host.Dispose();
            return await ReportAsync(console, command, problem, 2);
        }

        using (host)
        {
            var service = host.Services.GetRequiredService<CommandService<TOptions>>();
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(command.LogCategory);
            try
            {
                await host.StartAsync(CancellationToken.None);
                using (stopping.Register(() => host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication()))
                {
                    await host.WaitForShutdownAsync(CancellationToken.None);
                }

                if (!service.Outcome.IsCompleted)
                {
                    HostLog.DrainDeadlinePassed(logger, Preflight.Describe(settings.ShutdownTimeout));
                    return await ReportAsync(console, command, $"stopped at the drain deadline ({Preflight.Describe(settings.ShutdownTimeout)}, --shutdown-timeout) with work still in flight", command.FailureExitCode);
                }

                return await service.Outcome;
            }
            catch (Exception e) when (OperatorErrors.Describe(e) is { } problem)
            {
                return await ReportAsync(console, command, problem, 2);
            }
            catch (Exception e)
            {
                HostLog.Failed(logger, e, command.Name);
                var message = OperatorErrors.OneLine($"{e.GetType().Name}: {e.Message}");
                return await ReportAsync(console, command, $"failed: {message} (the stack trace is in the log)", command.FailureExitCode);
            }
        }
    }

    private static IHost Build<TOptions>(CommandDefinition<TOptions> command, IConfiguration configuration, HostSettings settings, CommandConsole console)
        where TOptions : class, new()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production,
        });
        builder.Configuration.AddConfiguration(configuration);

        // Defaults first: the Logging:Console:FormatterOptions section, bound by AddConsole, overrides them.
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddConsole();

        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = settings.ShutdownTimeout;
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(console);
        builder.Services.AddSingleton(command);
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new ConfigurationErrorValidator<TOptions>(command.Validate));
        builder.Services.AddOptions<TOptions>().Configure(o => command.Bind(configuration, o)).ValidateOnStart();
        builder.Services.AddSingleton<CommandService<TOptions>>();
        builder.Services.AddHostedService(s => s.GetRequiredService<CommandService<TOptions>>());
        return builder.Build();
    }

    private static async Task<int> ReportAsync<TOptions>(CommandConsole console, CommandDefinition<TOptions> command, string problem, int exitCode)
        where TOptions : class, new()
    {
        await console.Error.WriteLineAsync($"{command.Name}: {OperatorErrors.OneLine(problem)}");
        await console.Error.FlushAsync(CancellationToken.None);
        return exitCode;
    }
}
