using Npgsql;

namespace Cdc.Cli.Demo;

/// <summary>What the demo says about itself: what is real, what stands in, and what comes later.</summary>
internal static class DemoText
{
    public static void Header(DemoOptions options)
    {
        Console.WriteLine("cdc demo: writer workload -> Kafka (Debezium change events) -> two sink workers -> two subsystem stores in PostgreSQL");
        Console.WriteLine("  NOTE: the source connector does not exist yet (issue 4). A built-in workload generator stands in for the writer");
        Console.WriteLine("        applications, the primary and the connector: it models the primary's orders table and hands Kafka the");
        Console.WriteLine("        Debezium PostgreSQL events (JSON, schemas off) the connector would emit for each commit. Everything after it");
        Console.WriteLine("        is real: the librdkafka mock cluster (Kafka's wire protocol), two sink workers, two PostgreSQL databases.");
        Console.WriteLine($"  options: --orders {options.Orders} --rate {options.Rate} --duration {options.DurationSeconds} --flips {options.Flips} --flip-orders {options.FlipOrders} --seed {options.Seed}");
    }

    public static async Task ServerAsync(string postgres, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version')", connection);
        var version = (string)(await command.ExecuteScalarAsync(ct))!;
        Console.WriteLine($"  PostgreSQL {version} at {Cdc.Sink.SinkHost.Redacted(postgres)}; {Environment.ProcessorCount} cores");
    }

    public static void End(DemoOptions options, IReadOnlyList<Subsystem> subsystems, string bootstrapServers)
    {
        Console.WriteLine();
        Console.WriteLine("  not yet: drift injection and repair come with the reconciler (issue 5); the .NET source connector (issue 4)");
        Console.WriteLine("           will replace the generator, reading a real primary's WAL.");
        Console.WriteLine($"  the stores stay for inspection: psql -d {string.Join(" / ", subsystems.Select(s => s.Database.Name))} (recreated by the next run)");
        if (options.KeepRunning)
        {
            Console.WriteLine($"  --keep-running: after the result, Kafka ({bootstrapServers}) and both sinks stay up until Ctrl-C; /metrics: "
                + string.Join(", ", subsystems.Select(s => $"{s.Name} http://127.0.0.1:{s.MetricsPort}/metrics")));
        }
    }
}
