using Cdc.Common.Configuration;
using Cdc.Common.Hosting;
using Cdc.DevKit;

namespace Cdc.Dev.Chaos;

/// <summary><c>cdc chaos</c> (issue 8).</summary>
internal static class ChaosCommand
{
    /// <returns>0 when nothing was lost or wrong, 1 when something was (or the run failed), 2 for bad options.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var (options, exitCode) = await CommandOptions.ParseAsync("cdc chaos", args, ChaosOptions.Usage, a => ChaosOptions.Parse(a, Environment.GetEnvironmentVariable("CDC_POSTGRES")));
        if (options is null)
        {
            return exitCode;
        }

        await LocalPostgres.CheckAsync(options.Postgres, ct);
        try
        {
            return await ChaosRun.RunAsync(options, ct);
        }
        catch (Exception e) when (OperatorErrors.Describe(e) is null && e is InvalidOperationException or TimeoutException or Npgsql.NpgsqlException or Confluent.Kafka.KafkaException)
        {
            Console.WriteLine($"cdc chaos: FAILED: {e.Message}");
            await Console.Error.WriteLineAsync(e.ToString());
            Console.WriteLine("RESULT chaos faults=- lost=- wrong=- recover_p99_s=-");
            return 1;
        }
    }
}
