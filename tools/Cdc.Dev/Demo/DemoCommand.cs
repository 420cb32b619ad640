using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.DevKit;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cdc.Dev.Demo;

/// <summary><c>cdc demo</c>: the main job end to end on this machine (issue 7).</summary>
internal static class DemoCommand
{
    /// <returns>0 when every store equals the primary and nothing was dead-lettered, 1 when not or on failure, 2 for bad options.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var (options, exitCode) = await CommandOptions.ParseAsync("cdc demo", args, DemoOptions.Usage, a => DemoOptions.Parse(a, Environment.GetEnvironmentVariable("CDC_POSTGRES")));
        if (options is null)
        {
            return exitCode;
        }

        // The workers' own log lines go to stderr, so stdout is the demo's story and ends with the RESULT line.
        using var loggers = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Warning));
        await LocalPostgres.CheckAsync(options.Postgres, ct);
        try
        {
            return await DemoRun.RunAsync(options, loggers, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cdc demo: cancelled");
            return 1;
        }
        catch (Exception e) when (OperatorErrors.Describe(e) is null && e is InvalidOperationException or TimeoutException or NpgsqlException or Confluent.Kafka.KafkaException)
        {
            Console.WriteLine($"cdc demo: FAILED: {e.Message}");
            Console.WriteLine("RESULT demo stores_in_sync=0/2 p99_ms=-");
            return 1;
        }
    }
}
