using Npgsql;

namespace Cdc.Dev.Demo;

/// <summary>What the demo says about itself and the pipeline it runs.</summary>
internal static class DemoText
{
    public static void Header(DemoOptions options)
    {
        Console.WriteLine("cdc demo: writers -> primary PostgreSQL -> WAL (pgoutput) -> .NET source connector -> Kafka (Debezium change events)");
        Console.WriteLine("          -> two sink workers -> two subsystem stores in PostgreSQL; the reconciler finds and repairs drift");
        Console.WriteLine("  Everything is real on this machine: PostgreSQL from Debian, librdkafka's mock cluster as Kafka (the wire protocol),");
        Console.WriteLine("  the connector, the sinks and the reconciler, each as it runs in production; only Debezium itself (a JVM) is not used.");
        Console.WriteLine($"  options: --orders {options.Orders} --rate {options.Rate} --duration {options.DurationSeconds} --flips {options.Flips} --flip-orders {options.FlipOrders} --seed {options.Seed} --format {options.Format}");
    }

    /// <summary>The run's options and machine, under the report's title.</summary>
    public static string Subtitle(DemoOptions options) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC on {Environment.MachineName}, {Environment.ProcessorCount} cores; --orders {options.Orders} --rate {options.Rate} --duration {options.DurationSeconds} --flips {options.Flips} --flip-orders {options.FlipOrders} --seed {options.Seed}");

    public static async Task ServerAsync(string postgres, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version')", connection);
        var version = (string)(await command.ExecuteScalarAsync(ct))!;
        Console.WriteLine($"  PostgreSQL {version} at {Cdc.Common.Postgres.PgEndpoint.Describe(postgres)}; {Environment.ProcessorCount} cores");
    }

    public static void Pipeline(LocalPipeline pipeline)
    {
        var source = pipeline.Source!.Options;
        Console.WriteLine($"[2/6] embedded Kafka: librdkafka mock cluster, 3 brokers at {pipeline.Cluster.BootstrapServers}; topics {string.Join(", ", LocalPipeline.Topics)}");
        if (pipeline.Registry is { } registry)
        {
            Console.WriteLine($"      embedded Schema Registry (./cdc registry's) at {registry.Url}: the connector registers each table's key and value schema, the sinks fetch them by id");
        }

        Console.WriteLine(
            $"      source connector: slot {source.Slot}, publication {source.Publication}, {(pipeline.Registry is null ? "JSON with schemas" : "Avro (AvroConverter's wire format)")}; initial snapshot of the seeded rows, then the WAL; "
            + $"/metrics on http://127.0.0.1:{source.MetricsPort}/metrics");
        foreach (var subsystem in pipeline.Subsystems)
        {
            Console.WriteLine(
                $"      {subsystem.Name,-9}  sink worker (group {subsystem.Name}) -> database {subsystem.Database.Name}: {subsystem.Mapping.Description}; "
                + $"dead letters to {subsystem.DeadLetterTopic}; /metrics on http://127.0.0.1:{subsystem.MetricsPort}/metrics");
        }
    }

    public static void End(DemoOptions options, LocalPipeline pipeline)
    {
        Console.WriteLine();
        Console.WriteLine($"  the databases stay for inspection: psql -d {pipeline.Primary.Name} / {string.Join(" / ", pipeline.Subsystems.Select(s => s.Database.Name))} (recreated by the next run);");
        Console.WriteLine($"  the replication slot {pipeline.Slot} and publication {pipeline.Publication} are dropped when the demo ends, so the server keeps no WAL for them");
        if (options.KeepRunning)
        {
            Console.WriteLine($"  --keep-running: after the result, Kafka ({pipeline.Cluster.BootstrapServers}){(pipeline.Registry is { } registry ? $", the Schema Registry ({registry.Url})" : "")}, the connector and both sinks stay up until Ctrl-C; /metrics: "
                + $"capture http://127.0.0.1:{pipeline.Source!.MetricsPort}/metrics, "
                + string.Join(", ", pipeline.Subsystems.Select(s => $"{s.Name} http://127.0.0.1:{s.MetricsPort}/metrics")));
        }
    }
}
