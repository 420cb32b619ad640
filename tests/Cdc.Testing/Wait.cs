namespace Cdc.Testing;

/// <summary>Polling for tests that wait on another process, a broker or a database.</summary>
public static class Wait
{
    /// <summary>
    /// Polls until <paramref name="done"/> holds; fails with <paramref name="what"/> after <paramref name="timeout"/>, and
    /// with what <paramref name="state"/> describes then (the figures that tell a slow run from a stuck one).
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> done, TimeSpan timeout, string what, Func<string>? state = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!await done())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                var then = state is null ? "" : $" ({state()})";
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0}s waiting for {what}{then}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Awaits <paramref name="task"/>; fails with <paramref name="what"/> if it has not finished after <paramref name="timeout"/>.</summary>
    public static async Task ForAsync(Task task, TimeSpan timeout, string what)
    {
        try
        {
            await task.WaitAsync(timeout);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"timed out after {timeout.TotalSeconds:0}s waiting for {what}");
        }
    }
}
