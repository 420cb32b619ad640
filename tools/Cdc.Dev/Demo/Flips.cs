using System.Globalization;

namespace Cdc.Dev.Demo;

/// <summary>
/// The seeds' case: one UPDATE moving the same orders to a new status, in one transaction, repeated, each shown as a
/// job: its state and progress in every subsystem, live, from the sinks' transaction tracking (what <c>cdc txn</c>
/// reads), until COMPLETED with its time (commit to the last event applied, as the tracking measures it). The pipeline
/// is caught up first, so each measures one statement, not the backlog before it.
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
        var jobs = subsystems.Select(s => new FlipJob(s)).ToList();
        for (var flip = 1; flip <= options.Flips; flip++)
        {
            await pipeline.CatchUpAsync(ct);
            var status = Statuses[(flip - 1) % Statuses.Length];
            var before = pipeline.Progress.Produced(LocalPipeline.OrdersTopic);
            var (committed, rows, xid) = await pipeline.Writer.FlipAsync(status, options.FlipOrders, ct);
            sampler?.Mark($"flip {flip}", committed);
            if (rows == 0)
            {
                Console.WriteLine("  no live orders to update");
                break;
            }

            var inKafka = KafkaAsync(pipeline.Progress, before + rows, committed, ct);
            var waiting = Task.WhenAll(jobs.Select(j => j.WaitAsync(committed, xid, ct)));
            var title = string.Create(CultureInfo.InvariantCulture, $"  flip {flip}/{options.Flips} (xid {xid}): UPDATE of {rows:#,0} orders to '{status}' (one transaction, {rows:#,0} events)");
            await ShowProgressAsync(title, jobs, waiting, ct);
            var results = await waiting;
            latencies.Kafka.Add(await inKafka);
            var parts = new List<string>();
            for (var i = 0; i < subsystems.Count; i++)
            {
                var ms = results[i]?.Duration?.TotalMilliseconds;
                parts.Add(results[i] is { } done
                    ? string.Create(CultureInfo.InvariantCulture, $"{subsystems[i].Name} {done.State} {done.Applied:#,0} of {done.Expected:#,0} in {ms:0} ms")
                    : $"{subsystems[i].Name} NEVER ({Progress(jobs[i].Last)})");
                if (results[i]?.State == Cdc.Store.Transactions.TransactionStates.Completed && ms is { } value)
                {
                    latencies.Add(subsystems[i].Name, value);
                }
            }

            var header = $"{title}: {string.Join(", ", parts)}";
            if (results.Any(r => r?.State != Cdc.Store.Transactions.TransactionStates.Completed))
            {
                latencies.Incomplete++;
                Console.WriteLine($"{header}; a store did not show every row within a minute: no more flips");
                break;
            }

            var both = results.Max(r => r!.Duration!.Value.TotalMilliseconds);
            latencies.Both.Add(both);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{header}; both stores {both:0} ms (all events in Kafka after {latencies.Kafka[^1]:0} ms)"));
        }

        return latencies;
    }

    /// <summary>Every 250 ms until the jobs finish: each subsystem's state and progress, as <c>cdc txn</c> would print it.</summary>
    private static async Task ShowProgressAsync(string title, List<FlipJob> jobs, Task finished, CancellationToken ct)
    {
        while (await Task.WhenAny(finished, Task.Delay(TimeSpan.FromMilliseconds(250), ct)) != finished)
        {
            Console.WriteLine($"{title}: {string.Join(", ", jobs.Select(j => $"{j.Name} {Progress(j.Last)}"))}");
        }
    }

    private static string Progress(Cdc.Store.Transactions.TransactionStatus? status) =>
        status is null ? "not yet seen" : string.Create(CultureInfo.InvariantCulture, $"{status.State} {status.Applied:#,0} of {(status.Expected is { } m ? m.ToString("#,0", CultureInfo.InvariantCulture) : "?")}");

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
