namespace Cdc.Benchmarks.Reconcile;

/// <summary><c>cdc bench reconcile</c>: rows compared per second and rows transferred, beside a naive comparison (issue 5).</summary>
internal static class ReconcileBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        await Console.Error.WriteLineAsync("cdc bench reconcile: not built yet (issue 5)");
        return 2;
    }
}
