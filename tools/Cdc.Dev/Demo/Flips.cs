using System.Globalization;

namespace Cdc.Dev.Demo;

/// <summary>
/// The seeds' case: one UPDATE moving the same orders to a new status, in one transaction, repeated. Each is timed
/// from its commit until both stores show every changed order in the new status; the pipeline is caught up first,
/// so each measures one statement, not the backlog before it.
/// </summary>
internal static class Flips
{
    /// <summary>Alternating, and never drawn by the steady mix: the count of one status is the count of one flip.</summary>
    private static readonly string[] Statuses = ["on_hold", "released"];

    /// <param name="pipeline">The running pipeline.</param>
    /// <param name="ct">Stops the flips.</param>
    /// <param name="sampler">Marks each flip's commit on the run's timeline, when the run keeps one.</param>
    public static async Task<FlipLatencies> RunAsync(LocalPipeline pipeline, CancellationToken ct, PipelineSampler? sampler = null)
    {
        var options = pipeline.Options;
        var subsystems = pipeline.Subsystems;
        var latencies = new FlipLatencies();
        var probes = subsystems.Select(s => new FlipProbe(s)).ToList();
        for (var flip = 1; flip <= options.Flips; flip++)
        {
            await pipeline.CatchUpAsync(ct);
            var status = Statuses[(flip - 1) % Statuses.Length];
            var before = pipeline.Progress.Produced(LocalPipeline.OrdersTopic);
            var (committed, rows) = await pipeline.Writer.FlipAsync(status, options.FlipOrders, ct);
            sampler?.Mark($"flip {flip}", committed);
            if (rows == 0)
            {
                Console.WriteLine("  no live orders to update");
                break;
            }

            var inKafka = KafkaAsync(pipeline.Progress, before + rows, committed, ct);
            var results = await Task.WhenAll(probes.Select(p => p.WaitAsync(committed, status, rows, ct)));
            latencies.Kafka.Add(await inKafka);
            var parts = new List<string>();
            for (var i = 0; i < subsystems.Count; i++)
            {
                var (ms, seen) = results[i];
                parts.Add(ms is { } done
                    ? string.Create(CultureInfo.InvariantCulture, $"{subsystems[i].Name} {done:0} ms")
                    : string.Create(CultureInfo.InvariantCulture, $"{subsystems[i].Name} NEVER ({seen:#,0} of {rows:#,0} rows)"));
                if (ms is { } value)
                {
                    latencies.Add(subsystems[i].Name, value);
                }
            }

            var header = string.Create(CultureInfo.InvariantCulture, $"  flip {flip}/{options.Flips}: UPDATE of {rows:#,0} orders to '{status}' (one transaction, {rows:#,0} events): {string.Join(", ", parts)}");
            if (results.Any(r => r.Milliseconds is null))
            {
                latencies.Incomplete++;
                Console.WriteLine($"{header}; a store did not show every row within a minute: no more flips");
                break;
            }

            var both = results.Max(r => r.Milliseconds!.Value);
            latencies.Both.Add(both);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{header}; both stores {both:0} ms (all events in Kafka after {latencies.Kafka[^1]:0} ms)"));
        }

        return latencies;
    }

    /// <summary>Milliseconds from the commit until the topics hold <paramref name="records"/> records: the source
    /// connector's share of the latency.</summary>
    private static async Task<double> KafkaAsync(PipelineProgress progress, long records, long committed, CancellationToken ct)
    {
        while (progress.Produced(LocalPipeline.OrdersTopic) < records)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(2), ct);
        }

        return System.Diagnostics.Stopwatch.GetElapsedTime(committed).TotalMilliseconds;
    }
}
