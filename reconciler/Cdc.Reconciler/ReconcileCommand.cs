namespace Cdc.Reconciler;

/// <summary>The composition root behind <c>./cdc reconcile</c>.</summary>
public static class ReconcileCommand
{
    /// <returns>0 no drift, 1 drift found (repaired when asked), 2 error.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(args);
        await Console.Error.WriteLineAsync("cdc reconcile: not built yet (issue 5)");
        return 2;
    }
}
