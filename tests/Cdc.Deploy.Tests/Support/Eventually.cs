namespace Cdc.Deploy.Tests.Support;

internal static class Eventually
{
    /// <summary>Polls until <paramref name="done"/> holds; fails naming <paramref name="what"/> (and the last state) after <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> done, TimeSpan timeout, string what, Func<Task<string>>? state = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!await done())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                var last = state is null ? "" : "; last state: " + await state();
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0}s waiting for {what}{last}");
            }

            await Task.Delay(200);
        }
    }
}
