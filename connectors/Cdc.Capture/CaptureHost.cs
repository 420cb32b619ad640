namespace Cdc.Capture;

/// <summary>The composition root behind <c>./cdc capture</c>.</summary>
public static class CaptureHost
{
    /// <returns>0 after a clean stop, 2 for bad configuration, 1 for a fatal error.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(args);
        await Console.Error.WriteLineAsync("cdc capture: not built yet (issue 4)");
        return 2;
    }
}
