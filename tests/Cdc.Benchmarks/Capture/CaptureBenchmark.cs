namespace Cdc.Benchmarks.Capture;

/// <summary><c>cdc bench capture</c>: changes per second from WAL into the mock cluster, with lag (issue 4).</summary>
internal static class CaptureBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        await Console.Error.WriteLineAsync("cdc bench capture: not built yet (issue 4)");
        return 2;
    }
}
