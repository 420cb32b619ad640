using System.Globalization;

namespace Cdc.Cli.Demo;

/// <summary>
/// The seeds' case: one UPDATE moving the same orders to a new status, in one transaction, repeated. Each is timed
/// from its commit until both stores show every changed order in the new status; the pipeline is caught up first,
/// so each measures one statement, not the backlog before it.
/// </summary>
internal static class Flips
{
    /// <summary>Alternating, and never drawn by the steady mix: the count of one status is the count of one flip.</summary>
    private static readonly string[] Statuses = ["on_hold", "released"];

    public static async Task<FlipLatencies> RunAsync(DemoOptions options, OrderWriter writer, IReadOnlyList<Subsystem> subsystems, CancellationToken ct)
    {
        var latencies = new FlipLatencies();
        var probes = new List<FlipProbe>();
        try
        {
            foreach (var subsystem in subsystems)
            {
                probes.Add(await FlipProbe.OpenAsync(subsystem, ct));
            }

            for (var flip = 1; flip <= options.Flips; flip++)
            {
                await CatchUp.WaitAsync(subsystems, writer, ct);
                var status = Statuses[(flip - 1) % Statuses.Length];
                var changes = writer.Workload.SetStatus(options.FlipOrders, status);
                if (changes.Count == 0)
                {
                    Console.WriteLine("  no live orders to update");
                    break;
                }

                var committed = writer.Commit(changes);
                var waits = probes.Select(p => p.WaitAsync(committed, status, changes.Count, ct)).ToArray();
                var times = await Task.WhenAll(waits);
                var both = times.Max();
                latencies.Both.Add(both);
                var parts = new List<string>();
                for (var i = 0; i < subsystems.Count; i++)
                {
                    latencies.Add(subsystems[i].Name, times[i]);
                    parts.Add(string.Create(CultureInfo.InvariantCulture, $"{subsystems[i].Name} {times[i]:0} ms"));
                }

                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  flip {flip}/{options.Flips}: UPDATE of {changes.Count:#,0} orders to '{status}' (one transaction, {changes.Count:#,0} events): {string.Join(", ", parts)}; both stores {both:0} ms"));
            }
        }
        finally
        {
            foreach (var probe in probes)
            {
                await probe.DisposeAsync();
            }
        }

        return latencies;
    }
}
